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
  static final List<String> NETTY_FLAGS =
      List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");

  /**
   * The heap of a benchmark's processes: fixed and touched at start, collected by the serial
   * collector. Five JVMs share two cores in a local cluster; a heap growing into fresh pages (the
   * kernel zeroing them showed as 5-9 % of the CPU) and G1's concurrent threads cost measurable
   * CPU, and a benchmark's processes keep little live data (docs/pbft-performance.md). Left out
   * when {@code $OSKR_JAVA_OPTS} chooses a collector or a heap itself.
   */
  static final List<String> BENCH_HEAP_FLAGS =
      List.of("-XX:+UseSerialGC", "-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch");

  /** {@code java ... oskr.cli.Oskr ARGS}. */
  static List<String> oskr(List<String> args) {
    return main(Oskr.class.getName(), args, List.of());
  }

  /**
   * {@code java ... oskr.cli.Oskr ARGS} for a process of a benchmark: {@link #BENCH_HEAP_FLAGS}.
   */
  static List<String> benchProcess(List<String> args) {
    return main(Oskr.class.getName(), args, benchHeapFlags(System.getenv("OSKR_JAVA_OPTS")));
  }

  /** {@link #BENCH_HEAP_FLAGS}, unless the user's JVM flags mention a collector or a heap size. */
  static List<String> benchHeapFlags(String userFlags) {
    boolean chosen = userFlags != null && (userFlags.contains("GC") || userFlags.contains("-Xm"));
    return chosen ? List.of() : BENCH_HEAP_FLAGS;
  }

  /** {@code java ... MAIN_CLASS ARGS}, with this JVM's class path. */
  static List<String> main(String mainClass, List<String> args) {
    return main(mainClass, args, List.of());
  }

  private static List<String> main(String mainClass, List<String> args, List<String> jvmFlags) {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(NETTY_FLAGS);
    command.addAll(jvmFlags);
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
