package fourways.coursework.anylanguage;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * The black-box runner's worst customer, for {@link DeafServerTest}: a server that prints
 * {@code listening on}, accepts every connection, and never reads, writes or closes one. It
 * ignores every option. It costs a socket per client, held until SIGTERM ends the process.
 */
public final class DeafServer {
    private DeafServer() {}

    public static void main(String[] args) throws IOException {
        ServerSocket listener = new ServerSocket(Integer.parseInt(args[0]), 1024, InetAddress.getLoopbackAddress());
        System.out.println("listening on 127.0.0.1:" + listener.getLocalPort());
        System.out.flush();
        List<Socket> held = new ArrayList<>();             // never read, never closed: deaf, not dead
        for (;;) held.add(listener.accept());
    }
}
