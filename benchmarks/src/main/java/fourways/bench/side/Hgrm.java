package fourways.bench.side;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A latency histogram as the load client wrote it ({@code --hgrm}: HdrHistogram's percentile
 * distribution, microseconds), read back for the charts and the coordinated-omission table;
 * the cost is a text file per trial beside results.json, which HdrHistogram's own plotter reads too.
 *
 * @param points (value in microseconds, percentile from 0 to 1) in rising order, as written
 */
public record Hgrm(List<double[]> points) {

    /** Reads a file written by {@code outputPercentileDistribution}: its rows, not its header or footer. */
    public static Hgrm read(Path file) throws IOException {
        List<double[]> points = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.trim().split("\\s+");
            // A data row is "value percentile count [1/(1-percentile)]"; the header and the
            // #[Mean ...] footer do not parse as numbers.
            if (f.length < 3 || !Character.isDigit(f[0].charAt(0))) continue;
            try {
                points.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])});
            } catch (NumberFormatException notARow) {
                // a line of text, not a row
            }
        }
        return new Hgrm(points);
    }

    /** The value at a percentile (0 to 100): the first row at or past it; NaN for an empty file. */
    public double valueAt(double percentile) {
        double p = percentile / 100;
        for (double[] row : points) {
            if (row[1] >= p - 1e-12) return row[0];
        }
        return points.isEmpty() ? Double.NaN : points.getLast()[0];
    }

    /** The largest value recorded. */
    public double max() {
        return points.isEmpty() ? Double.NaN : points.getLast()[0];
    }
}
