package oskr.protocol.pbft;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.protocol.pbft.PbftMessage.Checkpoint;
import oskr.protocol.pbft.PbftMessage.Commit;
import oskr.protocol.pbft.PbftMessage.PrePrepare;
import oskr.protocol.pbft.PbftMessage.Prepare;
import oskr.protocol.pbft.PbftMessage.Request;

/** Field codecs the PBFT messages share: addresses, sequence numbers, nested message lists. */
final class Codecs {
  private Codecs() {}

  static final int HOST_MAX = 255;

  static void address(Writer out, Address address) {
    Bytes host = Bytes.utf8(address.host());
    assert host.length() <= HOST_MAX : address;
    out.bytes(host).u16(address.port());
  }

  static Address address(Reader in) throws MalformedMessage {
    Bytes host = in.bytes(HOST_MAX);
    int port = in.u16();
    if (host.length() == 0) throw MalformedMessage.of("Address.host");
    return new Address(new String(host.unsafeArray(), StandardCharsets.UTF_8), port);
  }

  /** A sequence number: sequence numbers start at 1. */
  static long seq(Reader in) throws MalformedMessage {
    long seq = in.u64();
    if (seq == 0) throw MalformedMessage.of("seq");
    return seq;
  }

  static void batch(Writer out, List<Request> batch) {
    out.u32(batch.size());
    for (Request request : batch) request.encode(out);
  }

  static PrePrepare prePrepare(Reader in) throws MalformedMessage {
    if (in.u8() != PrePrepare.TAG) throw MalformedMessage.of("expected PrePrepare");
    return PrePrepare.decode(in);
  }

  static void prepares(Writer out, List<Prepare> prepares) {
    out.u32(prepares.size());
    for (Prepare prepare : prepares) prepare.encode(out);
  }

  static List<Prepare> prepares(Reader in, int max) throws MalformedMessage {
    int count = in.count(max);
    List<Prepare> prepares = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (in.u8() != Prepare.TAG) throw MalformedMessage.of("expected Prepare");
      prepares.add(Prepare.decode(in));
    }
    return prepares;
  }

  static void commits(Writer out, List<Commit> commits) {
    out.u32(commits.size());
    for (Commit commit : commits) commit.encode(out);
  }

  static List<Commit> commits(Reader in, int max) throws MalformedMessage {
    int count = in.count(max);
    List<Commit> commits = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (in.u8() != Commit.TAG) throw MalformedMessage.of("expected Commit");
      commits.add(Commit.decode(in));
    }
    return commits;
  }

  static void checkpoints(Writer out, List<Checkpoint> checkpoints) {
    out.u32(checkpoints.size());
    for (Checkpoint checkpoint : checkpoints) checkpoint.encode(out);
  }

  static List<Checkpoint> checkpoints(Reader in, int max) throws MalformedMessage {
    int count = in.count(max);
    List<Checkpoint> checkpoints = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (in.u8() != Checkpoint.TAG) throw MalformedMessage.of("expected Checkpoint");
      checkpoints.add(Checkpoint.decode(in));
    }
    return checkpoints;
  }
}
