package fourways.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Addresses as the {@code listening on} line and sink lines write them (rules 8 and 20). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AddressesTest {

    @Test
    void rule20_ipv4IsHostColonPort() {
        assertEquals("127.0.0.1:11000", Addresses.format(new InetSocketAddress("127.0.0.1", 11000)));
    }

    @Test
    void rule08_ipv6IsBracketedAndCompressed() throws Exception {
        assertEquals("[::1]:50000", Addresses.format(new InetSocketAddress(InetAddress.getByName("::1"), 50000)));
        assertEquals("[::]:0", Addresses.format(new InetSocketAddress(InetAddress.getByName("::"), 0)));
    }

    @Test
    void rule08_ipv6TextFollowsRfc5952() throws Exception {
        String[][] cases = {
            {"2001:db8:0:0:0:0:2:1", "2001:db8::2:1"},        // the longest zero run becomes ::
            {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"}, // a single zero group stays 0
            {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},          // the longer of two runs
            {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},    // on a tie, the first
            {"fe80:0:0:0:0:0:0:0", "fe80::"},
            {"0:0:0:0:0:0:0:0", "::"},
            {"ABCD:EF01:2345:6789:ABCD:EF01:2345:6789", "abcd:ef01:2345:6789:abcd:ef01:2345:6789"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], Addresses.compact(InetAddress.getByName(c[0]).getAddress()), c[0]);
        }
    }
}
