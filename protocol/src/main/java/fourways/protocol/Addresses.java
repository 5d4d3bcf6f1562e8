package fourways.protocol;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/** How addresses are written in the {@code listening on} line and in sink lines (rules 8, 20). */
public final class Addresses {
    private Addresses() {}

    /** {@code 127.0.0.1:11000}, or {@code [::1]:11000}: brackets keep an IPv6 port readable. */
    public static String format(InetSocketAddress address) {
        String host = address.getAddress() != null
                ? address.getAddress().getHostAddress()
                : address.getHostString();
        int zone = host.indexOf('%');
        if (zone >= 0) host = host.substring(0, zone);
        boolean v6 = address.getAddress() instanceof Inet6Address;
        return (v6 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
