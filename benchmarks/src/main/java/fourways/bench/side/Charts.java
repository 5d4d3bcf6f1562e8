package fourways.bench.side;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.IntervalBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.category.DefaultIntervalCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The side-by-side run's charts (PNG, JFreeChart, headless). One panel per workload, each with
 * its own axis: ping-pong's thousands and pipelined's millions of messages per second on one
 * axis would leave every workload but one a flat line. A bar is the median run; where a row
 * ran more than once, a thin dark bar over it spans the slowest to the fastest run. The
 * connection curve gets two line charts of its own.
 */
public final class Charts {
    private static final int WIDTH = 1000;
    private static final int PANEL_HEIGHT = 230;

    private Charts() {}

    /** Writes the charts into {@code folder}; returns their file names. */
    public static List<String> write(Path folder, List<Outcome> outcomes) throws IOException {
        return write(folder, outcomes, new SweepTable(Row.of(outcomes), Sweep.DEFAULT_P99_BOUND_US));
    }

    /** The same, with the sweep's and the stall's charts ({@link LatencyCharts}) where the run had them. */
    public static List<String> write(Path folder, List<Outcome> outcomes, SweepTable sweep) throws IOException {
        System.setProperty("java.awt.headless", "true");          // no display needed, none used
        List<Row> rows = Row.of(outcomes);
        List<Row> runs = rows.stream()
                .filter(r -> r.workload() != Workload.CONNECTIONS && r.workload() != Workload.SWEEP).toList();
        List<String> files = new ArrayList<>();
        if (!runs.isEmpty()) {
            panels(folder, files, runs, "msgs_per_sec.png", "Messages per second (more is better)", "msgs/s", false,
                    Row.field("msgs_per_sec"));
            panels(folder, files, runs, "p99_latency.png", "99th percentile latency, microseconds (less is better)",
                    "p99 us", true, Row.field("p99_us"));
            panels(folder, files, runs, "peak_threads.png", "Peak threads of the server process", "threads", true,
                    o -> o.peakThreads() > 0 ? (double) o.peakThreads() : null);
            panels(folder, files, runs, "peak_rss.png", "Peak resident memory of the server process, MiB", "MiB",
                    false, o -> o.peakRssKib() > 0 ? o.peakRssKib() / 1024.0 : null);
        }
        LatencyCharts.write(folder, files, sweep);
        Curve curve = new Curve(rows);
        if (!curve.isEmpty()) {
            curve(folder, files, curve, "connections_rss.png", "Resident memory of the server by connections held",
                    "MiB", false, Row::peakRssMib,
                    m -> String.format(Locale.ROOT, "%.1f KiB/conn", m.kibPerConnection()));
            curve(folder, files, curve, "connections_threads.png", "Threads of the server by connections held",
                    "threads, log scale", true, Row::peakThreads,
                    m -> String.format(Locale.ROOT, "%.3f threads/conn", m.threadsPerConnection()));
        }
        return files;
    }

    private static void panels(Path folder, List<String> files, List<Row> rows, String file, String title,
                               String unit, boolean log, Function<Outcome, Double> figure) throws IOException {
        CombinedDomainCategoryPlot combined = new CombinedDomainCategoryPlot(new CategoryAxis("server"));
        List<Workload> workloads = rows.stream().map(Row::workload).distinct().toList();
        for (Workload w : workloads) {
            List<Row> mine = rows.stream().filter(r -> r.workload() == w).toList();
            DefaultCategoryDataset medians = new DefaultCategoryDataset();
            for (Row r : mine) medians.addValue(r.median(figure), "median", r.model());   // null: no bar, not a 0
            ValueAxis axis = log ? logAxis(w.label() + ", " + unit) : new NumberAxis(w.label() + ", " + unit);
            BarRenderer bars = new BarRenderer();
            bars.setBarPainter(new StandardBarPainter());         // flat bars, no gradient
            bars.setShadowVisible(false);
            bars.setSeriesPaint(0, new Color(0x4C78A8));
            if (log) bars.setBase(1);                             // a log axis has no 0 to start bars from
            CategoryPlot plot = new CategoryPlot(medians, null, axis, bars);
            plot.setBackgroundPaint(Color.WHITE);
            plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
            if (mine.stream().anyMatch(r -> r.runs().size() > 1)) plot(plot, spread(mine, figure));
            combined.add(plot);
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, combined, false);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(folder.resolve(file).toFile(), chart, WIDTH, 80 + PANEL_HEIGHT * workloads.size());
        files.add(file);
    }

    /** The min-max bars, drawn thin and dark over the median bars. */
    private static DefaultIntervalCategoryDataset spread(List<Row> rows, Function<Outcome, Double> figure) {
        Number[][] lows = new Number[1][rows.size()];
        Number[][] highs = new Number[1][rows.size()];
        String[] models = new String[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            models[i] = rows.get(i).model();
            lows[0][i] = rows.get(i).min(figure);
            highs[0][i] = rows.get(i).max(figure);
        }
        return new DefaultIntervalCategoryDataset(new String[] {"min-max"}, models, lows, highs);
    }

    private static void plot(CategoryPlot plot, DefaultIntervalCategoryDataset spread) {
        IntervalBarRenderer range = new IntervalBarRenderer();
        range.setBarPainter(new StandardBarPainter());
        range.setShadowVisible(false);
        range.setSeriesPaint(0, new Color(0x222222));
        range.setMaximumBarWidth(0.008);
        plot.setDataset(1, spread);
        plot.setRenderer(1, range);
    }

    private static void curve(Path folder, List<String> files, Curve curve, String file, String title, String axis,
                              boolean log, Function<Row, Double> figure, Function<Curve.Model, String> slope)
            throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Curve.Model m : curve.models()) {
            XYSeries s = new XYSeries(m.name() + " (" + slope.apply(m) + ")");   // the slope in the legend
            for (Row r : m.steps()) {
                Double v = figure.apply(r);
                if (v != null && v > 0) s.add(r.connections(), v);
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "connections held", axis, data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        if (log) plot.setRangeAxis(logAxis(axis));
        ChartUtils.saveChartAsPNG(folder.resolve(file).toFile(), chart, WIDTH, 560);
        files.add(file);
    }

    static LogAxis logAxis(String label) {
        LogAxis a = new LogAxis(label);
        a.setSmallestValue(1);
        a.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        a.setNumberFormatOverride(NumberFormat.getIntegerInstance(Locale.ROOT));   // 10,000, not 10^4
        return a;
    }
}
