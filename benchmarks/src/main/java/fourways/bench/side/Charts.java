package fourways.bench.side;

import java.awt.Color;
import java.io.IOException;
import java.text.NumberFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The side-by-side run's charts (PNG, JFreeChart, headless): one per figure, a group of bars
 * per workload, one bar per model. Figures that span orders of magnitude (latency, threads)
 * get a logarithmic axis, or the small bars would vanish.
 */
public final class Charts {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 560;

    private Charts() {}

    /** Writes the charts into {@code folder}; returns their file names. */
    public static List<String> write(Path folder, List<Outcome> outcomes) throws IOException {
        System.setProperty("java.awt.headless", "true");          // no display needed, none used
        List<String> files = new ArrayList<>();
        chart(folder, files, outcomes, "msgs_per_sec.png", "Messages per second (more is better)",
                "messages/s", false, o -> o.hasResult() ? o.msgsPerSec() : 0);
        chart(folder, files, outcomes, "p99_latency.png", "99th percentile latency (less is better)",
                "microseconds, log scale", true, o -> o.number("p99_us"));
        chart(folder, files, outcomes, "peak_threads.png", "Peak threads of the server process",
                "threads, log scale", true, o -> o.peakThreads());
        chart(folder, files, outcomes, "peak_rss.png", "Peak resident memory of the server process",
                "MiB", false, o -> o.peakRssKib() / 1024.0);
        return files;
    }

    private static void chart(Path folder, List<String> files, List<Outcome> outcomes, String file,
                              String title, String axis, boolean log, ToDoubleFunction<Outcome> figure)
            throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Outcome o : outcomes) {
            double v = figure.applyAsDouble(o);
            // A run without this figure gets no bar (null), rather than a bar of 0 that reads as a result.
            data.addValue(v > 0 ? v : null, o.model(), o.workload().label());
        }
        JFreeChart chart = ChartFactory.createBarChart(title, "workload", axis, data,
                PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        BarRenderer bars = (BarRenderer) plot.getRenderer();
        bars.setBarPainter(new StandardBarPainter());             // flat bars, no gradient
        bars.setShadowVisible(false);
        if (log) {
            LogAxis logAxis = new LogAxis(axis);
            logAxis.setSmallestValue(1);
            logAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            logAxis.setNumberFormatOverride(NumberFormat.getIntegerInstance(Locale.ROOT));   // 10,000, not 10^4
            plot.setRangeAxis(logAxis);
            bars.setBase(1);                                      // a log axis has no 0 to start bars from
        }
        ChartUtils.saveChartAsPNG(folder.resolve(file).toFile(), chart, WIDTH, HEIGHT);
        files.add(file);
    }
}
