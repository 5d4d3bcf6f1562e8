// Microsoft's "Asynchronous Server Socket Example" (.NET Framework docs, "Socket code examples"),
// ported faithfully, bugs included: the seed of this project, run under Mono by PitfallsTest's
// pitfall 8. Two changes only, both marked CHANGED: it listens on 127.0.0.1 and the port given
// as its first argument (0: any free one), and prints that port, so a test can find it.
using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;

// State object for reading client data asynchronously: C#'s attachment.
public class StateObject
{
    public const int BufferSize = 1024;
    public byte[] buffer = new byte[BufferSize];
    public StringBuilder sb = new StringBuilder();
    public Socket workSocket = null;
}

public class AsynchronousSocketListener
{
    // Thread signal: the main thread waits here until a client has been accepted.
    public static ManualResetEvent allDone = new ManualResetEvent(false);

    public static void StartListening(int port)
    {
        IPEndPoint localEndPoint = new IPEndPoint(IPAddress.Loopback, port);   // CHANGED: was the host's first address, port 11000
        Socket listener = new Socket(localEndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(localEndPoint);
            listener.Listen(100);
            Console.WriteLine("listening on " + listener.LocalEndPoint);       // CHANGED: the port, for the test
            while (true)
            {
                allDone.Reset();
                Console.WriteLine("Waiting for a connection...");
                listener.BeginAccept(new AsyncCallback(AcceptCallback), listener);
                allDone.WaitOne();
            }
        }
        catch (Exception e)
        {
            Console.WriteLine(e.ToString());      // only the main thread's own calls are caught here
        }
    }

    // tag::accept-callback[]
    public static void AcceptCallback(IAsyncResult ar)
    {
        allDone.Set();                            // the main thread may accept the next client
        Socket listener = (Socket) ar.AsyncState;
        Socket handler = listener.EndAccept(ar);  // BUG (pitfall 8): no try/catch on a pool thread
        StateObject state = new StateObject();
        state.workSocket = handler;
        handler.BeginReceive(state.buffer, 0, StateObject.BufferSize, 0,
            new AsyncCallback(ReadCallback), state);
    }
    // end::accept-callback[]

    // tag::read-callback[]
    public static void ReadCallback(IAsyncResult ar)
    {
        StateObject state = (StateObject) ar.AsyncState;
        Socket handler = state.workSocket;
        int bytesRead = handler.EndReceive(ar);   // BUG (pitfall 8): a reset throws here, uncaught,
                                                  // on a pool thread: the whole process ends
        if (bytesRead > 0)                        // BUG (pitfall 6): 0, the client's close, ignored
        {
            state.sb.Append(Encoding.ASCII.GetString(state.buffer, 0, bytesRead));  // BUG (pitfalls 1, 2)
            string content = state.sb.ToString(); // BUG (pitfall 3): everything, copied and
            if (content.IndexOf("<EOF>") > -1)    // searched again after every read
            {
                Console.WriteLine("Read {0} bytes from socket. \n Data : {1}", content.Length, content);
                Send(handler, content);           // BUG (pitfall 5): no receive is started again
            }
            else
            {                                     // BUG (pitfall 4): no limit, append for ever
                handler.BeginReceive(state.buffer, 0, StateObject.BufferSize, 0,
                    new AsyncCallback(ReadCallback), state);
            }
        }
    }
    // end::read-callback[]

    // tag::send[]
    private static void Send(Socket handler, string data)
    {
        byte[] byteData = Encoding.ASCII.GetBytes(data);
        handler.BeginSend(byteData, 0, byteData.Length, 0, new AsyncCallback(SendCallback), handler);
    }

    private static void SendCallback(IAsyncResult ar)
    {
        try                                       // the one callback of the server that catches
        {
            Socket handler = (Socket) ar.AsyncState;
            int bytesSent = handler.EndSend(ar);  // never compared with what was to be sent
            Console.WriteLine("Sent {0} bytes to client.", bytesSent);
            handler.Shutdown(SocketShutdown.Both);
            handler.Close();
        }
        catch (Exception e)
        {
            Console.WriteLine(e.ToString());
        }
    }
    // end::send[]

    public static int Main(string[] args)
    {
        StartListening(args.Length > 0 ? int.Parse(args[0]) : 11000);          // CHANGED: the port argument
        return 0;
    }
}
