package oskr.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM running {@code oskr}: the same java binary and class path as this
 * JVM (the shaded jar, or target/classes and the dependencies under Surefire), the JDK 25 flags
 * Netty needs, {@code -ea} if this JVM has it, quieter logs, and {@code $OSKR_JAVA_OPTS}.
 */
final class JavaCommand {
  private JavaCommand() {}

  /** Silence the JDK 25 warnings from Netty's native access and Unsafe use. */
  private static final List<String> NETTY_FLAGS =
      List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");

  /** {@code java ... oskr.cli.Oskr ARGS}. */
  static List<String> oskr(List<String> args) {
    return main(Oskr.class.getName(), args);
  }

  /** {@code java ... MAIN_CLASS ARGS}, with this JVM's class path. */
  static List<String> main(String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(NETTY_FLAGS);
    if (assertionsEnabled()) command.add("-ea");
    // Children log warnings only: their start and stop lines would bury the result. A
    // -Doskr.log=INFO in $OSKR_JAVA_OPTS comes later and wins.
    command.add("-Doskr.log=WARN");
    String extra = System.getenv("OSKR_JAVA_OPTS");
    if (extra != null && !extra.isBlank()) command.addAll(List.of(extra.strip().split("\\s+")));
    command.add("-cp");
    command.add(classPath());
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  private static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** This JVM's class path with every entry absolute, so a child may run in any directory. */
  private static String classPath() {
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isEmpty()) entries.add(Path.of(entry).toAbsolutePath().toString());
    }
    return String.join(File.pathSeparator, entries);
  }

  @SuppressWarnings("AssertWithSideEffects")
  private static boolean assertionsEnabled() {
    boolean enabled = false;
    assert enabled = true; // runs only under -ea
    return enabled;
  }
}
