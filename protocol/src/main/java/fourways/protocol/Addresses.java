package fourways.protocol;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** How addresses are written in the {@code listening on} line and in sink lines (rules 8, 20). */
public final class Addresses {
    private Addresses() {}

    /** {@code 127.0.0.1:11000}, or {@code [::1]:11000}: brackets keep an IPv6 port readable. */
    public static String format(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip instanceof Inet6Address v6) {
            return "[" + compact(v6.getAddress()) + "]:" + address.getPort();
        }
        return (ip != null ? ip.getHostAddress() : address.getHostString()) + ":" + address.getPort();
    }

    /**
     * RFC 5952's text form, which the JDK does not give ({@code 0:0:0:0:0:0:0:1} there):
     * no leading zeros, and the longest run of two or more zero groups written as {@code ::}.
     */
    static String compact(byte[] ip) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) groups[i] = ((ip[2 * i] & 0xff) << 8) | (ip[2 * i + 1] & 0xff);
        int bestStart = -1, bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(j, i + 1);
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') s.append(':');
            s.append(Integer.toHexString(groups[i]));
        }
        return s.toString();
    }
}
