package oskr.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceTest {
  @Test
  void formatsVirtualTimeAsMillisecondsWithNanosecondDigits() {
    assertThat(Trace.formatTime(0)).isEqualTo("     0.000000");
    assertThat(Trace.formatTime(12_000_345)).isEqualTo("    12.000345");
    assertThat(Trace.formatTime(1_234_567_890_123L)).isEqualTo("1234567.890123");
  }

  @Test
  void equalLinesGiveEqualHashesAndOneChangeAnother() {
    Trace first = new Trace(10, line -> {});
    Trace second = new Trace(10, line -> {});
    Trace third = new Trace(10, line -> {});
    for (Trace trace : List.of(first, second, third)) trace.add(5, "deliver #1");
    first.add(7, "timer a");
    second.add(7, "timer a");
    third.add(8, "timer a");
    assertThat(first.hash()).isEqualTo(second.hash()).isNotEqualTo(third.hash());
  }

  @Test
  void keepsOnlyTheTailButHashesAndSinksEveryLine() {
    List<String> sunk = new ArrayList<>();
    Trace trace = new Trace(2, sunk::add);
    for (int i = 1; i <= 5; i++) trace.add(i, "line " + i);
    assertThat(trace.lines()).isEqualTo(5);
    assertThat(sunk).hasSize(5);
    assertThat(trace.tail(10)).containsExactly("     0.000004 line 4", "     0.000005 line 5");
  }

  @Test
  void cutsOverlongLines() {
    Trace trace = new Trace(1, line -> {});
    trace.add(0, "x".repeat(1000));
    assertThat(trace.tail(1).get(0)).hasSizeLessThan(Trace.LINE_MAX + 20);
  }
}
