package oskr.runtime.udp;

/**
 * What a socket of the mmsg transports handed the kernel: system calls, the messages they carried
 * and the datagrams in those (successful calls only), for tests and reports. A message carries more
 * than one datagram only with segmentation offload ({@link Transport#GSO}): a segmented send, or a
 * coalesced receive.
 */
public record MmsgStats(
    long receiveCalls,
    long receivedMessages,
    long receivedDatagrams,
    long sendCalls,
    long sentMessages,
    long sentDatagrams) {
  /** Without segmentation: one datagram per message. */
  public MmsgStats(long receiveCalls, long receivedDatagrams, long sendCalls, long sentDatagrams) {
    this(
        receiveCalls,
        receivedDatagrams,
        receivedDatagrams,
        sendCalls,
        sentDatagrams,
        sentDatagrams);
  }

  @Override
  public String toString() {
    return String.format(
        "recvmmsg %,d calls for %,d datagrams (%.1f a call, %.1f a message), sendmmsg %,d calls for"
            + " %,d (%.1f, %.1f)",
        receiveCalls,
        receivedDatagrams,
        perCall(receivedDatagrams, receiveCalls),
        perCall(receivedDatagrams, receivedMessages),
        sendCalls,
        sentDatagrams,
        perCall(sentDatagrams, sendCalls),
        perCall(sentDatagrams, sentMessages));
  }

  private static double perCall(long datagrams, long calls) {
    return calls == 0 ? 0 : datagrams / (double) calls;
  }
}
