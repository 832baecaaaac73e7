package oskr.runtime.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Linker;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Where the batched system calls cannot be linked, the mmsg transport says so in one line and runs
 * as plain NIO.
 */
class MmsgFallbackTest {
  @Test
  void aLibraryWithoutTheSymbolsIsUnavailableWithItsReason() {
    MmsgCalls.Availability missing =
        MmsgCalls.load("Linux", Linker.nativeLinker(), name -> Optional.empty());
    assertThat(missing.calls()).isNull();
    assertThat(missing.reason()).contains("sendmmsg");

    MmsgCalls.Availability elsewhere =
        MmsgCalls.load("Mac OS X", Linker.nativeLinker(), Linker.nativeLinker().defaultLookup());
    assertThat(elsewhere.calls()).isNull();
    assertThat(elsewhere.reason()).isEqualTo("not Linux (Mac OS X)");
  }

  @Test
  void anUnavailableLinkerGivesOneLineAndANioLoopThatServes() throws Exception {
    MmsgCalls.Availability missing =
        MmsgCalls.load("Linux", Linker.nativeLinker(), name -> Optional.empty());
    List<String> notices = new ArrayList<>();
    DropCounters drops = new DropCounters();
    CompletableFuture<byte[]> received = new CompletableFuture<>();
    try (UdpLoop loop =
        Transport.newMmsgLoop("test-fallback", () -> {}, missing, notices::add, false)) {
      assertThat(notices)
          .containsExactly(
              "the mmsg transport is unavailable (no symbol sendmmsg in libc): using NIO");
      UdpSocket in =
          loop.open(
              new InetSocketAddress("127.0.0.1", 0),
              (from, data) -> received.complete(data),
              true,
              drops);
      assertThat(in).isNotInstanceOf(MmsgSocket.class);
      Outbox outbox = in.newOutbox();
      assertThat(outbox.batches()).isFalse();

      outbox.add(in.localAddress(), new byte[] {1, 2, 3}, 0, 3); // sent at once, to itself

      assertThat(received.get(10, TimeUnit.SECONDS)).containsExactly(1, 2, 3);
      assertThat(drops.total()).isZero();
    }
  }

  @Test
  void everyLoopFallsBackButOneLineSaysSo() throws Exception {
    MmsgCalls.Availability missing =
        MmsgCalls.load("Linux", Linker.nativeLinker(), name -> Optional.empty());
    List<String> lines = new ArrayList<>();
    java.util.function.Consumer<String> notice = MmsgCalls.once(lines::add);
    try (UdpLoop first =
            Transport.newMmsgLoop("test-fallback-1", () -> {}, missing, notice, false);
        UdpLoop second =
            Transport.newMmsgLoop("test-fallback-2", () -> {}, missing, notice, true)) {
      assertThat(first.thread()).isNotSameAs(second.thread());
      assertThat(lines).hasSize(1);
    }
  }
}
