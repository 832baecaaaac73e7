package oskr.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import oskr.core.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code oskr} command. Exit codes: 0 done, 1 the run failed (or a bug), 2 the operator gave a
 * bad option, config, key file or busy port; every error is one line on stderr.
 */
@Command(
    name = "oskr",
    description = "Replication protocols on the JVM: run replicas and clients, benchmark them.",
    subcommands = {
      ReplicaCommand.class,
      ClientCommand.class,
      BenchCommand.class,
      KeygenCommand.class,
      SimulateCommand.class,
      EchoServerCommand.class,
      JmhCommand.class
    },
    footer = {
      "%nExample:",
      "  oskr bench -m unreplicated -t 4 -d 10",
      "%nRun 'oskr COMMAND -h' for the options of each command, with an example."
    })
public final class Oskr implements Callable<Integer> {
  static final int EXIT_OK = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_OPERATOR_ERROR = 2;

  @Mixin CommonOptions.Help help;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(),
        "missing command, expected one of: " + String.join(", ", visibleCommands(spec)));
  }

  /** The subcommands {@code -h} lists: not the hidden ones {@code oskr bench} starts itself. */
  static List<String> visibleCommands(CommandSpec spec) {
    return spec.subcommands().entrySet().stream()
        .filter(entry -> !entry.getValue().getCommandSpec().usageMessage().hidden())
        .map(java.util.Map.Entry::getKey)
        .toList();
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = run(out, err, args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs one command line in this JVM, with its output and errors on the given writers. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return commandLine(out, err).execute(args);
  }

  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new Oskr());
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setUsageHelpAutoWidth(true);
    commandLine.setParameterExceptionHandler(Oskr::onBadArguments);
    commandLine.setExecutionExceptionHandler(Oskr::onFailure);
    return commandLine;
  }

  private static int onBadArguments(ParameterException e, String[] args) {
    CommandLine where = e.getCommandLine();
    String message = e.getMessage();
    if (e instanceof UnmatchedArgumentException unmatched) {
      List<String> rest = unmatched.getUnmatched();
      boolean command = !where.getSubcommands().isEmpty() && !rest.getFirst().startsWith("-");
      if (command) message = "unknown command '" + rest.getFirst() + "'";
      if (!unmatched.getSuggestions().isEmpty()) {
        message += " (did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?)";
      }
    }
    String help = where.getCommandSpec().qualifiedName() + " -h";
    where.getErr().println("oskr: " + oneLine(message) + "; see '" + help + "'");
    return EXIT_OPERATOR_ERROR;
  }

  private static int onFailure(Exception e, CommandLine where, ParseResult parsed) {
    PrintWriter err = where.getErr();
    switch (e) {
      case ConfigException config -> {
        err.println("oskr: " + oneLine(config.getMessage()));
        return EXIT_OPERATOR_ERROR;
      }
      case RunFailed failed -> {
        err.println("oskr: " + oneLine(failed.getMessage()));
        return EXIT_FAILED;
      }
      case InterruptedException interrupted -> {
        err.println("oskr: interrupted");
        return EXIT_FAILED;
      }
      default -> {
        // A bug, not an operator error: the stack trace is what a fix needs.
        err.println("oskr: internal error: " + oneLine(e.toString()));
        e.printStackTrace(err);
        return EXIT_FAILED;
      }
    }
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
  }
}
