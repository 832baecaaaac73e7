package oskr.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** One in-process run of the oskr command line with its output and errors captured. */
record CliRun(int exitCode, String out, String err) {
  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Oskr.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new CliRun(code, out.toString(), err.toString());
  }

  static CliRun of(List<String> args) {
    return of(args.toArray(String[]::new));
  }

  List<String> errLines() {
    return err.lines().toList();
  }
}
