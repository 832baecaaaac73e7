package oskr.cli;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import oskr.core.crypto.Scheme;
import oskr.runtime.StageMode;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/** Options and checks the subcommands share. */
final class CommonOptions {
  private CommonOptions() {}

  /** {@code -h}: every subcommand's help ends with an example. */
  static final class Help {
    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help, with an example, and exit.")
    boolean requested;
  }

  /** {@code --auth secp256k1|ed25519}. */
  static final class SchemeConverter implements ITypeConverter<Scheme> {
    @Override
    public Scheme convert(String value) {
      try {
        return Scheme.parse(value.toLowerCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code --stage inline|thread}: the replica's stateful executor (an advanced option). */
  static final class StageConverter implements ITypeConverter<StageMode> {
    @Override
    public StageMode convert(String value) {
      try {
        return StageMode.parse(value.toLowerCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** The scheme names, for {@code ${COMPLETION-CANDIDATES}}. */
  static final class SchemeNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return List.of(Scheme.values()).stream().map(Scheme::cliName).iterator();
    }
  }

  /** Fails the command with an operator error (one line, exit code 2) unless {@code condition}. */
  static void require(CommandSpec spec, boolean condition, String message) {
    if (!condition) throw new ParameterException(spec.commandLine(), message);
  }

  /** A duration in seconds from the command line: finite, at most a day, and positive. */
  static void requireSeconds(CommandSpec spec, double seconds, String option, boolean zeroAllowed) {
    boolean inRange = zeroAllowed ? seconds >= 0 : seconds > 0;
    require(
        spec,
        Double.isFinite(seconds) && inRange && seconds <= 86_400,
        option
            + " must be "
            + (zeroAllowed ? "0 or more" : "more than 0")
            + " seconds, at most a day; got "
            + seconds);
  }
}
