package oskr.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUtils;

/**
 * Throughput-latency curves of an evaluation: one colour per configuration, its median latency
 * solid and its p99 dashed, against throughput; latency on a log scale, since the curves of a fast
 * and a slow protocol differ by orders of magnitude. Written as SVG and PNG.
 */
public final class Plots {
  private Plots() {}

  /** The size of the figure, in pixels (SVG user units). */
  static final int WIDTH = 960;

  static final int HEIGHT = 600;

  /** Colour-blind-safe colours (Okabe and Ito), one a configuration, reused past eight. */
  private static final List<Color> COLOURS =
      List.of(
          new Color(0x0072B2),
          new Color(0xD55E00),
          new Color(0x009E73),
          new Color(0xCC79A7),
          new Color(0xE69F00),
          new Color(0x56B4E9),
          new Color(0x000000),
          new Color(0xF0E442));

  /** One configuration's sweep, in the order it ran, and its name in the legend. */
  public record Curve(String name, List<BenchResult> runs) {}

  /** Writes {@code svg} and {@code png}. */
  public static void write(List<Curve> curves, String title, Path svg, Path png)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    JFreeChart chart = chart(curves, title);
    SVGGraphics2D graphics = new SVGGraphics2D(WIDTH, HEIGHT);
    chart.draw(graphics, new Rectangle(WIDTH, HEIGHT));
    SVGUtils.writeToSVG(svg.toFile(), graphics.getSVGElement());
    ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
  }

  static JFreeChart chart(List<Curve> curves, String title) {
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    BasicStroke solid = new BasicStroke(2f);
    BasicStroke dashed =
        new BasicStroke(
            1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
    for (int i = 0; i < curves.size(); i++) {
      Curve curve = curves.get(i);
      // Points in the order they ran: past the knee throughput can fall while latency rises.
      XYSeries median = new XYSeries(curve.name() + " p50", false, true);
      XYSeries tail = new XYSeries(curve.name() + " p99", false, true);
      for (BenchResult run : curve.runs()) {
        double throughput = run.outcome().throughputOpsPerSecond() / 1e3;
        BenchResult.Latency latency = run.outcome().latency();
        if (latency.p50Micros() > 0) median.add(throughput, latency.p50Micros());
        if (latency.p99Micros() > 0) tail.add(throughput, latency.p99Micros());
      }
      Color colour = COLOURS.get(i % COLOURS.size());
      int medianIndex = data.getSeriesCount();
      data.addSeries(median);
      renderer.setSeriesPaint(medianIndex, colour);
      renderer.setSeriesStroke(medianIndex, solid);
      data.addSeries(tail);
      renderer.setSeriesPaint(medianIndex + 1, colour);
      renderer.setSeriesStroke(medianIndex + 1, dashed);
    }
    NumberAxis throughputAxis = new NumberAxis("Throughput (K ops/s)");
    throughputAxis.setAutoRangeIncludesZero(true);
    LogAxis latencyAxis = new LogAxis("Latency (µs), p50 solid, p99 dashed");
    latencyAxis.setBase(10);
    latencyAxis.setSmallestValue(1);
    // One labelled tick per power of ten, in plain microseconds: 10, 100, 1,000, ...
    latencyAxis.setTickUnit(new NumberTickUnit(1.0));
    latencyAxis.setMinorTickCount(9);
    latencyAxis.setMinorTickMarksVisible(true);
    latencyAxis.setNumberFormatOverride(new DecimalFormat("#,##0"));
    XYPlot plot = new XYPlot(data, throughputAxis, latencyAxis, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }
}
