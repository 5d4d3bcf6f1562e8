package fourways.bench.side;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.Tick;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The latency charts networking engineers read: latency against offered load (the sweep; p50
 * and p99 panels, log axes, each server's knee ringed, the rungs the client could not keep
 * crossed), and percentile distributions in
 * HdrHistogram's convention (x = percentile on a 1/(1-p) log scale, 50% to 99.99%, so the tail
 * gets the room it deserves), drawn from the {@code .hgrm} files the clients wrote.
 */
final class LatencyCharts {
    private static final int WIDTH = 1000;
    /** One colour per server, the same in every panel and chart (Tableau's ten). */
    private static final Color[] PALETTE = {new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759),
        new Color(0x76B7B2), new Color(0x59A14F), new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7),
        new Color(0x9C755F), new Color(0xBAB0AC)};

    private LatencyCharts() {}

    static void write(Path folder, List<String> files, SweepTable sweep) throws IOException {
        if (!sweep.isEmpty()) {
            latencyByLoad(folder, files, sweep);
            double rate = sweep.commonRate();
            percentiles(folder, files, "sweep_percentiles.png", String.format(Locale.ROOT,
                    "Latency by percentile at %,.0f msgs/s offered (half the slowest knee), from due time", rate),
                    sweep.byServer().keySet().stream()
                            .map(m -> Map.entry(m, hgrm(folder, m, Workload.SWEEP, rate, ".hgrm"))).toList());
        }
        if (!sweep.stalls().isEmpty()) {
            percentiles(folder, files, "stall_percentiles.png", "The stall (server paused "
                    + Workload.STALL_MILLIS + " ms): from due time (solid) and from send time, a closed loop's view (dashed)",
                    sweep.stalls().stream().flatMap(r -> List.of(
                            Map.entry(r.model() + ", due", hgrm(folder, r.model(), Workload.STALL, null, ".hgrm")),
                            Map.entry(r.model() + ", sent", hgrm(folder, r.model(), Workload.STALL, null, ".from-send.hgrm")))
                            .stream()).toList());
        }
    }

    /** The first run's file: every run of a trial writes its own, and the chart shows one. */
    private static Path hgrm(Path folder, String model, Workload w, Double offered, String suffix) {
        return Path.of(Trial.hgrmPrefix(folder.resolve("hgrm"), model, w, offered, 1) + suffix);
    }

    private static void latencyByLoad(Path folder, List<String> files, SweepTable sweep) throws IOException {
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(rungAxis(sweep.rungs()));
        Map<String, OptionalDouble> knees = sweep.knees();
        for (String p : List.of("p50", "p99")) {
            XYSeriesCollection lines = new XYSeriesCollection();
            XYSeriesCollection kneeMarks = new XYSeriesCollection();
            XYSeriesCollection clientMarks = new XYSeriesCollection();
            sweep.byServer().forEach((model, steps) -> {
                XYSeries s = new XYSeries(model);
                XYSeries k = new XYSeries(model + " knee");
                XYSeries c = new XYSeries(model + " client-bound");
                for (Row r : steps) {
                    Double v = r.median(Row.field(p + "_us"));
                    if (v == null || v <= 0) continue;
                    s.add(r.offered(), v);
                    OptionalDouble knee = knees.get(model);
                    if (knee.isPresent() && knee.getAsDouble() == r.offered()) k.add(r.offered(), v);
                    if (!Sweep.trusted(r)) c.add(r.offered(), v);
                }
                lines.addSeries(s);
                kneeMarks.addSeries(k);
                clientMarks.addSeries(c);
            });
            XYLineAndShapeRenderer lineRenderer = new XYLineAndShapeRenderer(true, true);
            XYLineAndShapeRenderer ringRenderer = new XYLineAndShapeRenderer(false, true);
            XYLineAndShapeRenderer crossRenderer = new XYLineAndShapeRenderer(false, true);
            for (int i = 0; i < lines.getSeriesCount(); i++) {
                lineRenderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
                lineRenderer.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
                lineRenderer.setSeriesVisibleInLegend(i, p.equals("p50"));   // one legend for both panels
                ringRenderer.setSeriesShape(i, new Ellipse2D.Double(-8, -8, 16, 16));
                ringRenderer.setSeriesShapesFilled(i, false);
                ringRenderer.setSeriesVisibleInLegend(i, false);
                ringRenderer.setSeriesPaint(i, Color.BLACK);
                crossRenderer.setSeriesShape(i, ShapeUtils.createDiagonalCross(5, 1));
                crossRenderer.setSeriesVisibleInLegend(i, false);
                crossRenderer.setSeriesPaint(i, Color.GRAY);
            }
            LogAxis y = Charts.logAxis(p + " latency, us (log)");
            XYPlot plot = new XYPlot(lines, null, y, lineRenderer);
            plot.setDataset(1, kneeMarks);
            plot.setRenderer(1, ringRenderer);
            plot.setDataset(2, clientMarks);
            plot.setRenderer(2, crossRenderer);
            style(plot);
            combined.add(plot);
        }
        JFreeChart chart = new JFreeChart(String.format(Locale.ROOT,
                "Latency against offered load, from due time; rings: each server's knee (p99 <= %,d us, >= 95%% delivered);"
                        + " crosses: rungs the client could not keep",
                sweep.p99BoundUs()), JFreeChart.DEFAULT_TITLE_FONT, combined, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(folder.resolve("sweep_latency.png").toFile(), chart, WIDTH, 760);
        files.add("sweep_latency.png");
    }

    /**
     * The offered-load axis: logarithmic, because the rungs grow geometrically ({@link Sweep}),
     * so they stand evenly spaced; and one tick a rung, labelled with the rate it offered, since
     * powers of ten would leave one label for the whole ladder.
     */
    private static LogAxis rungAxis(List<Double> rungs) {
        LogAxis axis = new LogAxis("offered load, msgs/s, all connections (log)") {
            @Override
            protected List<Tick> refreshTicksHorizontal(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
                List<Tick> ticks = new ArrayList<>();
                for (double r : rungs) {
                    ticks.add(new NumberTick(r, String.format(Locale.ROOT, "%,.0f", r), TextAnchor.TOP_CENTER,
                            TextAnchor.CENTER, 0));
                }
                return ticks;
            }
        };
        axis.setRange(rungs.getFirst() / 1.2, rungs.getLast() * 1.2);
        return axis;
    }

    private static void percentiles(Path folder, List<String> files, String file, String title,
                                    List<Map.Entry<String, Path>> histograms) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (Map.Entry<String, Path> e : histograms) {
            if (!Files.isReadable(e.getValue())) continue;         // a trial that wrote none: no line, not a flat one
            XYSeries s = new XYSeries(e.getKey());
            for (double[] row : Hgrm.read(e.getValue()).points()) {
                double p = row[1];
                if (p < 0.5 || p > 0.9999 || row[0] <= 0) continue;
                s.addOrUpdate(1 / (1 - p), row[0]);
            }
            int i = data.getSeriesCount();
            boolean sent = e.getKey().endsWith(", sent");
            // A stall chart has two lines per server, due then sent: one colour for both.
            int server = histograms.stream().anyMatch(h -> h.getKey().endsWith(", sent")) ? i / 2 : i;
            renderer.setSeriesPaint(i, PALETTE[server % PALETTE.length]);
            renderer.setSeriesStroke(i, sent ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {6f, 4f}, 0f) : new BasicStroke(2f));
            data.addSeries(s);
        }
        if (data.getSeriesCount() == 0) return;
        LogAxis x = new LogAxis("percentile");
        x.setSmallestValue(2);
        x.setNumberFormatOverride(new PercentileFormat());
        x.setTickUnit(new NumberTickUnit(1));           // one tick a decade of 1/(1-p): 90%, 99%, 99.9%, 99.99%
        x.setRange(2, 10_000);                         // 50% to 99.99%
        XYPlot plot = new XYPlot(data, x, Charts.logAxis("latency, us (log)"), renderer);
        style(plot);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(folder.resolve(file).toFile(), chart, WIDTH, 560);
        files.add(file);
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    }

    /** The x axis holds 1/(1-p); its labels say p: 10 is "90%", 1,000 is "99.9%". */
    private static final class PercentileFormat extends NumberFormat {
        @Override
        public StringBuffer format(double v, StringBuffer to, FieldPosition pos) {
            double p = 100 * (1 - 1 / v);
            return to.append(String.format(Locale.ROOT, p >= 99.99 ? "%.2f%%" : p >= 99.9 ? "%.1f%%" : "%.0f%%",
                    Math.floor(p * 100 + 1e-6) / 100));
        }

        @Override
        public StringBuffer format(long v, StringBuffer to, FieldPosition pos) {
            return format((double) v, to, pos);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            return null;                              // labels only
        }
    }
}
