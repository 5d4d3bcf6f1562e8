package fourways.protocol;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/** How addresses are written in the {@code listening on} line and in sink lines (rules 8, 20). */
public final class Addresses {
    private Addresses() {}

    /** {@code 127.0.0.1:11000}, or {@code [::1]:11000}: brackets keep an IPv6 port readable. */
    public static String format(InetSocketAddress address) {
        if (address.getAddress() instanceof Inet6Address v6) {
            return "[" + compressed(v6.getAddress()) + "]:" + address.getPort();
        }
        String host = address.getAddress() != null
                ? address.getAddress().getHostAddress()
                : address.getHostString();
        return host + ":" + address.getPort();
    }

    /**
     * RFC 5952's text form, {@code ::1}. The JDK writes every group ({@code 0:0:0:0:0:0:0:1}),
     * which is not what PROTOCOL.md shows nor what other tools print. The longest run of two or
     * more zero groups (the first, on a tie) becomes {@code ::}; the scope id is left out.
     */
    static String compressed(byte[] sixteen) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((sixteen[2 * i] & 0xFF) << 8) | (sixteen[2 * i + 1] & 0xFF);
        }
        int runStart = -1;
        int runLength = 1;                            // a single zero group stays "0"
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > runLength) {
                runStart = i;
                runLength = j - i;
            }
            i = Math.max(j, i + 1);
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == runStart) {
                text.append("::");
                i += runLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') text.append(':');
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
