package fourways.coursework.e5_connectionlimit;

import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.io.IOException;

/** How exercise 5's checker starts a server of one model with a limit on its connections. */
@FunctionalInterface
public interface LimitedServer {
    Server start(ServerConfig config, int maxConnections) throws IOException;
}
