package oskr.runtime.udp;

/**
 * What a socket of the mmsg transport handed the kernel: system calls and the datagrams they
 * carried (successful calls only), for tests and reports.
 */
public record MmsgStats(
    long receiveCalls, long receivedDatagrams, long sendCalls, long sentDatagrams) {
  @Override
  public String toString() {
    return String.format(
        "recvmmsg %,d calls for %,d datagrams (%.1f a call), sendmmsg %,d calls for %,d (%.1f)",
        receiveCalls,
        receivedDatagrams,
        perCall(receivedDatagrams, receiveCalls),
        sendCalls,
        sentDatagrams,
        perCall(sentDatagrams, sendCalls));
  }

  private static double perCall(long datagrams, long calls) {
    return calls == 0 ? 0 : datagrams / (double) calls;
  }
}
