// Microsoft's "Asynchronous Client Socket Example" (.NET Framework docs, "Socket code examples"),
// ported faithfully, bugs included; PitfallsTest runs it under Mono against the server sample.
// Two changes only, both marked CHANGED: it connects to 127.0.0.1 and the port given as its
// first argument, where the sample looked up "host.contoso.com" and used port 11000.
using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;

// State object for receiving data from the server.
public class StateObject
{
    public Socket workSocket = null;
    public const int BufferSize = 256;
    public byte[] buffer = new byte[BufferSize];
    public StringBuilder sb = new StringBuilder();
}

public class AsynchronousClient
{
    // One event per step: the main thread waits on each in turn.
    private static ManualResetEvent connectDone = new ManualResetEvent(false);
    private static ManualResetEvent sendDone = new ManualResetEvent(false);
    private static ManualResetEvent receiveDone = new ManualResetEvent(false);

    // The reply, left here by ReceiveCallback for the main thread to print.
    private static string response = string.Empty;

    private static void StartClient(int port)
    {
        try
        {
            IPEndPoint remoteEP = new IPEndPoint(IPAddress.Loopback, port);     // CHANGED: was host.contoso.com:11000
            Socket client = new Socket(remoteEP.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            client.BeginConnect(remoteEP, new AsyncCallback(ConnectCallback), client);
            connectDone.WaitOne();                // BUG (pitfall 7): never set if the connect fails
            Send(client, "This is a test<EOF>");
            sendDone.WaitOne();
            Receive(client);
            receiveDone.WaitOne();
            Console.WriteLine("Response received : {0}", response);
            client.Shutdown(SocketShutdown.Both);
            client.Close();
        }
        catch (Exception e)
        {
            Console.WriteLine(e.ToString());
        }
    }

    // tag::connect-callback[]
    private static void ConnectCallback(IAsyncResult ar)
    {
        try
        {
            Socket client = (Socket) ar.AsyncState;
            client.EndConnect(ar);
            Console.WriteLine("Socket connected to {0}", client.RemoteEndPoint.ToString());
            connectDone.Set();
        }
        catch (Exception e)
        {
            Console.WriteLine(e.ToString());      // BUG (pitfall 7): printed; connectDone stays shut
        }
    }
    // end::connect-callback[]

    private static void Receive(Socket client)
    {
        try
        {
            StateObject state = new StateObject();
            state.workSocket = client;
            client.BeginReceive(state.buffer, 0, StateObject.BufferSize, 0,
                new AsyncCallback(ReceiveCallback), state);
        }
        catch (Exception e)
        {
            Console.WriteLine(e.ToString());
        }
    }

    private static void ReceiveCallback(IAsyncResult ar)
    {
        try
        {
            StateObject state = (StateObject) ar.AsyncState;
            Socket client = state.workSocket;
            int bytesRead = client.EndReceive(ar);
            if (bytesRead > 0)
            {
                state.sb.Append(Encoding.ASCII.GetString(state.buffer, 0, bytesRead));  // BUG (pitfalls 1, 2)
                client.BeginReceive(state.buffer, 0, StateObject.BufferSize, 0,
                    new AsyncCallback(ReceiveCallback), state);
            }
            else
            {                                     // the reply ends where the server closes, not at <EOF>
                if (state.sb.Length > 1)
                {
                    response = state.sb.ToString();
                }
                receiveDone.Set();
            }
        }
        catch (Exception e)
        {
            Console.WriteLine(e.ToString());      // BUG (pitfall 7): receiveDone stays shut
        }
    }

    private static void Send(Socket client, string data)
    {
        byte[] byteData = Encoding.ASCII.GetBytes(data);
        client.BeginSend(byteData, 0, byteData.Length, 0, new AsyncCallback(SendCallback), client);
    }

    private static void SendCallback(IAsyncResult ar)
    {
        try
        {
            Socket client = (Socket) ar.AsyncState;
            int bytesSent = client.EndSend(ar);
            Console.WriteLine("Sent {0} bytes to server.", bytesSent);
            sendDone.Set();
        }
        catch (Exception e)
        {
            Console.WriteLine(e.ToString());
        }
    }

    public static int Main(string[] args)
    {
        StartClient(int.Parse(args[0]));          // CHANGED: the port argument
        return 0;
    }
}
