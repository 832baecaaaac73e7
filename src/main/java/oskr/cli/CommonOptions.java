package oskr.cli;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import oskr.core.ConfigException;
import oskr.core.crypto.Scheme;
import oskr.protocol.Protocol;
import oskr.runtime.StageMode;
import oskr.runtime.udp.Transport;
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

  /** {@code -m PROTO}: one of the registered protocols. */
  static final class ProtocolOption {
    @Option(
        names = {"-m", "--protocol"},
        required = true,
        paramLabel = "PROTO",
        converter = Protocols.Converter.class,
        completionCandidates = Protocols.Names.class,
        description = "The protocol: ${COMPLETION-CANDIDATES}.")
    Protocol<?> protocol;
  }

  /** {@code -c deploy/NAME}: the deployment a replica or client runs in. */
  static final class ConfigOption {
    @Option(
        names = {"-c", "--config"},
        required = true,
        paramLabel = "deploy/NAME",
        description = "Read deploy/NAME.config and, if the protocol signs, deploy/NAME-ID.pem.")
    String deployment;

    /** The config checked for {@code protocol}, and where its keys are. */
    Deployment load(Protocol<?> protocol) throws ConfigException {
      return Deployment.load(deployment, protocol);
    }
  }

  /**
   * {@code --auth secp256k1|ed25519|hmac}: how the replicas authenticate. Null until {@link
   * #resolve}, which takes the protocol's default when none was given.
   */
  static final class AuthOption {
    @Option(
        names = "--auth",
        paramLabel = "SCHEME",
        converter = SchemeConverter.class,
        completionCandidates = SchemeNames.class,
        description =
            "How the replicas authenticate: ${COMPLETION-CANDIDATES}. Default: the protocol's"
                + " own, the one its paper evaluates (MACs where the protocol allows them).")
    Scheme scheme;

    /**
     * The scheme for {@code protocol}: the one given, else the protocol's default; an operator
     * error if one was given to a protocol that does not authenticate, where it would be ignored.
     */
    Scheme resolve(CommandSpec spec, Protocol<?> protocol) {
      if (scheme == null) {
        scheme = protocol.defaultScheme();
      } else {
        require(
            spec,
            protocol.usesSignatures(),
            "--auth: " + protocol.name() + " does not authenticate its messages");
      }
      return scheme;
    }
  }

  /** {@code --exit-with-parent} (hidden): the children of {@code oskr bench} die with it. */
  static final class ExitWithParent {
    @Option(names = "--exit-with-parent", hidden = true, description = "Used by oskr bench.")
    boolean requested;

    /** If requested, exits this process once its parent is gone. */
    void apply() {
      if (requested) ParentWatch.exitWithParent();
    }
  }

  /** {@code --auth secp256k1|ed25519}. */
  static final class SchemeConverter implements ITypeConverter<Scheme> {
    @Override
    public Scheme convert(String value) {
      return parse(Scheme::parse, value.toLowerCase(Locale.ROOT));
    }
  }

  /**
   * {@code --transport nio|epoll|mmsg|gso}: the kernel UDP implementation of a replica, a client,
   * or both sides of a bench (an advanced option, for the comparison in docs/transport.md).
   */
  static final class TransportOption {
    @Option(
        names = "--transport",
        hidden = true,
        paramLabel = "nio|epoll|mmsg|gso",
        converter = TransportConverter.class,
        description =
            "Advanced: the UDP implementation, JDK NIO, Netty's native epoll with recvmmsg and"
                + " sendmmsg, NIO with recvmmsg and sendmmsg through the JDK's foreign function"
                + " API, or that with UDP segmentation offload (docs/transport.md). Default: gso.")
    Transport transport = Transport.DEFAULT;

    /** As arguments of a child replica or client; none for the default. */
    List<String> args() {
      return transport == Transport.DEFAULT
          ? List.of()
          : List.of("--transport", transport.cliName());
    }
  }

  static final class TransportConverter implements ITypeConverter<Transport> {
    @Override
    public Transport convert(String value) {
      return parse(Transport::parse, value.toLowerCase(Locale.ROOT));
    }
  }

  /** {@code --stage inline|thread}: the replica's stateful executor (an advanced option). */
  static final class StageConverter implements ITypeConverter<StageMode> {
    @Override
    public StageMode convert(String value) {
      return parse(StageMode::parse, value.toLowerCase(Locale.ROOT));
    }
  }

  /** The scheme names, for {@code ${COMPLETION-CANDIDATES}}. */
  static final class SchemeNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return List.of(Scheme.values()).stream().map(Scheme::cliName).iterator();
    }
  }

  /**
   * {@code parser}'s value of {@code text}, its IllegalArgumentException turned into picocli's
   * conversion error (the operator sees its message).
   */
  static <T> T parse(Function<String, T> parser, String text) {
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
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
