package oskr.runtime;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.SplittableRandom;
import oskr.core.Address;
import oskr.core.Config;
import oskr.core.Limits;
import oskr.protocol.Protocol;
import oskr.runtime.udp.DropCounters;
import oskr.runtime.udp.Fragments;
import oskr.runtime.udp.Reassembler;
import oskr.runtime.udp.Receiver;
import oskr.runtime.udp.Tags;
import oskr.runtime.udp.UdpLoop;

/**
 * The receive path of a replica. On the socket's loop: the {@code --drop} experiment, the size
 * check, reassembly, the sender's address. Then on a worker chosen by sender (so one sender's
 * frames stay in order): decode and verify, right here when that worker is the socket's own loop
 * (always with one worker). Then the message is posted to the stateful executor. Between the first
 * datagram of a batch of reads and its end the socket's loop is {@linkplain #inReadBatch() in a
 * read batch}: the replies of the steps it runs meanwhile wait for the batch's end and leave
 * together (on the mmsg transport, see {@link ReplicaContext}).
 */
final class ReplicaInbound<M> implements Receiver {
  static final String DROPPED_ON_PURPOSE = "runtime: --drop";
  static final String OVERSIZED = "datagram: oversized";

  private final Protocol<M> protocol;
  private final Config config;
  private final ReplicaContext<M> context;
  private final Worker[] workers;
  private final DropCounters drops;
  private final double dropRate;
  // Socket loop thread only:
  private final SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());
  private final Reassembler reassembler;
  private final Addresses addresses;
  private final UdpLoop socketLoop;
  private boolean readBatchOpen; // socket loop thread only

  ReplicaInbound(
      ReplicaContext<M> context, Worker[] workers, double dropRate, InetSocketAddress[] replicas) {
    this.protocol = context.protocol();
    this.config = context.config();
    this.context = context;
    this.workers = workers;
    this.drops = context.drops();
    this.dropRate = dropRate;
    this.reassembler = new Reassembler(drops);
    this.addresses = new Addresses(config, replicas);
    this.socketLoop = workers[0].loop;
  }

  /** Whether the caller is the socket's loop, between a batch's first datagram and its end. */
  boolean inReadBatch() {
    return socketLoop.inLoop() && readBatchOpen;
  }

  @Override
  public void onBatchEnd() {
    readBatchOpen = false;
    context.endOfReadBatch();
  }

  @Override
  public void onDatagram(InetSocketAddress from, byte[] data) {
    readBatchOpen = true;
    if (dropRate > 0 && random.nextDouble() < dropRate) {
      drops.count(DROPPED_ON_PURPOSE);
      return;
    }
    int tag = Tags.NONE;
    if (Tags.isTagged(data)) { // from a client behind a shared socket: its tag names it
      tag = Tags.tag(data);
      if (tag == Tags.NONE) {
        drops.count(Tags.MALFORMED);
        return;
      }
      data = Arrays.copyOfRange(data, Tags.HEADER_LENGTH, data.length);
    }
    if (data.length > Limits.DATAGRAM_MAX) {
      drops.count(OVERSIZED);
      return;
    }
    byte[] frame = data;
    if (Fragments.isFragment(data)) {
      frame = reassembler.accept(from, tag, data, System.nanoTime());
      if (frame == null) return;
    }
    Address sender = addresses.address(from, tag);
    Worker worker =
        workers.length == 1
            ? workers[0]
            : workers[Math.floorMod(31 * from.hashCode() + tag, workers.length)];
    if (worker.loop.inLoop()) {
      decode(worker, sender, frame); // no task, no hand-off
      return;
    }
    byte[] whole = frame;
    if (!worker.offerFrame(() -> decode(worker, sender, whole))) drops.count(Worker.BACKLOG_FULL);
  }

  private void decode(Worker worker, Address sender, byte[] frame) {
    M message = Decoding.decodeAndVerify(protocol, config, sender, frame, worker.crypto(), drops);
    if (message != null) context.deliver(sender, message);
  }
}
