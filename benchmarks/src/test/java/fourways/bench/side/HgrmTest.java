package fourways.bench.side;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reading back what a load client's {@code --hgrm} wrote: HdrHistogram's percentile distribution. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HgrmTest {
    /** The head and tail of a file as HdrHistogram writes it (values in microseconds). */
    private static final String RECORDED = """
                   Value     Percentile TotalCount 1/(1-Percentile)

                  19.775 0.000000000000          1           1.00
                  20.511 0.500000000000       5012           2.00
                  38.143 0.900000000000       9001          10.00
                  66.047 0.990000000000       9900         100.00
                 201.983 0.999000000000       9990        1000.00
                 441.343 1.000000000000      10000
            #[Mean    =       24.100, StdDeviation   =       11.002]
            #[Max     =      441.343, Total count    =        10000]
            #[Buckets =           22, SubBuckets     =         2048]
            """;

    @Test
    void percentilesAreReadFromTheRowsAndTheHeaderAndFooterAreSkipped(@TempDir Path folder) throws IOException {
        Path file = folder.resolve("t.hgrm");
        Files.writeString(file, RECORDED);

        Hgrm h = Hgrm.read(file);

        assertEquals(6, h.points().size());
        assertEquals(20.511, h.valueAt(50), 1e-9);
        assertEquals(66.047, h.valueAt(99), 1e-9);
        assertEquals(201.983, h.valueAt(99.9), 1e-9);
        assertEquals(66.047, h.valueAt(95), 1e-9, "between rows: the next row up");
        assertEquals(441.343, h.max(), 1e-9);
        assertTrue(Double.isNaN(new Hgrm(java.util.List.of()).valueAt(50)));
    }
}
