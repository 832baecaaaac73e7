package oskr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import oskr.bench.BenchResult;
import oskr.bench.Json;

/**
 * A tiny evaluation (seconds): two protocols swept, and every file it writes is there and well
 * formed: the table, the points as CSV and JSON, both plots and the report.
 */
class EvaluationTest {
  @TempDir Path directory;

  @Test
  void aTinySweepWritesTheTablePointsPlotsAndReport() throws Exception {
    Path out = directory.resolve("eval");
    CliRun run =
        CliRun.of(
            "bench",
            "--all",
            "--protocols",
            "unreplicated,vr",
            "--quick",
            "-d",
            "0.3",
            "--warm-up",
            "0.2",
            "--out",
            out.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("|Protocol|Worker number|Batch size|")
        .contains("|unreplicated|1|1|");
    assertThat(run.out()).contains("|vr|1|100|");
    assertThat(run.err()).contains("[1/2] unreplicated, w1, b1: 1 client").contains("[2/2] vr");
    assertThat(run.err()).contains("left)");

    List<String> csv = Files.readAllLines(out.resolve(Evaluation.POINTS_CSV));
    assertThat(csv.getFirst()).isEqualTo(BenchResult.csvHeader());
    int points = csv.size() - 1;
    assertThat(points).isBetween(4, 6); // 1, 8 (and 64 while throughput rises) for each

    String json = Files.readString(out.resolve(Evaluation.POINTS_JSON)).strip();
    assertThat(json).startsWith("[").endsWith("]");
    String[] objects = json.substring(1, json.length() - 1).strip().split("\\},\\s*\\{");
    assertThat(objects).hasSize(points);
    for (int i = 0; i < objects.length; i++) {
      String object = (i == 0 ? "" : "{") + objects[i] + (i == objects.length - 1 ? "" : "}");
      assertThat(BenchResult.fromJson(object).outcome().ops()).isPositive();
      assertThat(Json.parseFlatObject(object)).containsKey("protocol");
    }

    BufferedImage png = ImageIO.read(out.resolve(Evaluation.PLOT_PNG).toFile());
    assertThat(png).isNotNull();
    assertThat(png.getWidth()).isPositive();
    DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
    // Well-formed XML, read offline: the SVG's DOCTYPE names a DTD on the web.
    xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    Document svg = xml.newDocumentBuilder().parse(out.resolve(Evaluation.PLOT_SVG).toFile());
    assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");

    String report = Files.readString(out.resolve(Evaluation.REPORT));
    assertThat(report)
        .contains("Command: `oskr bench --all --protocols unreplicated,vr --quick")
        .contains("- cores: ")
        .contains("- CPU: ")
        .contains("- kernel: ")
        .contains("- JDK: ")
        .contains("|Protocol|Worker number|Batch size|")
        .contains("![throughput-latency](" + Evaluation.PLOT_PNG + ")")
        .contains("(" + Evaluation.PLOT_SVG + ")");
    assertThat(Processes.runningDescendants()).isEmpty();
  }

  @Test
  void optionsOfAnEvaluationNeedAll() {
    CliRun run = CliRun.of("bench", "-m", "unreplicated", "--quick");
    assertThat(run.exitCode()).isEqualTo(Oskr.EXIT_OPERATOR_ERROR);
    assertThat(run.err()).contains("give --all instead of -m");
    CliRun both = CliRun.of("bench", "--all", "-t", "4");
    assertThat(both.exitCode()).isEqualTo(Oskr.EXIT_OPERATOR_ERROR);
    assertThat(both.err()).contains("-t, --sweep and -o do not apply");
  }

  @Test
  void aYcsbEvaluationLoadsEachClusterThenSweepsTheWorkload() throws Exception {
    Path out = directory.resolve("ycsb");
    CliRun run =
        CliRun.of(
            "bench",
            "--all",
            "--protocols",
            "vr",
            "--quick",
            "-d",
            "0.3",
            "--warm-up",
            "0.2",
            "--workload",
            "ycsb",
            "-P",
            "workloads/workloadc",
            "-p",
            "recordcount=100",
            "--out",
            out.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.err()).contains("[1/1] vr, w1, b100: loading the records");
    assertThat(run.out()).contains("[INSERT] 100 ops (0 failed)").contains("|vr|1|100|");
    List<String> csv = Files.readAllLines(out.resolve(Evaluation.POINTS_CSV));
    assertThat(csv.subList(1, csv.size())).allMatch(row -> row.contains("ycsb:workloadc"));
  }

  @Test
  void anEvaluationRefusesAStoreFolderAndTheLoadFlag() {
    CliRun db = CliRun.of("bench", "--all", "-a", "rocksdb", "--db", directory.toString());
    assertThat(db.exitCode()).isEqualTo(Oskr.EXIT_OPERATOR_ERROR);
    assertThat(db.err()).contains("--db does not apply to --all");
    CliRun load =
        CliRun.of("bench", "--all", "--workload", "ycsb", "-P", "workloads/workloada", "--load");
    assertThat(load.exitCode()).isEqualTo(Oskr.EXIT_OPERATOR_ERROR);
    assertThat(load.err()).contains("--load is for oskr client");
  }
}
