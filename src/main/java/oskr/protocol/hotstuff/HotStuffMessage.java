package oskr.protocol.hotstuff;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.core.crypto.HmacSha256;
import oskr.protocol.ChunkPart;

/**
 * The messages of chained HotStuff (Yin et al., PODC 2019, Algorithm 3 and §4.3's pacemaker), plus
 * block sync, checkpoints and state transfer. {@code signature} fields cover {@code encodeSigned}
 * (the canonical bytes without the signature). Replica indexes are decoded below {@link
 * Limits#REPLICAS_MAX}; {@link HotStuff#verify} checks them against the config.
 */
public sealed interface HotStuffMessage {
  /**
   * A client's request, with its address so that every replica can reply. With signatures, {@code
   * clientKey} is the client's verifying key and {@code auth} its signature; with {@code --auth
   * hmac} the key is its secp256k1 public key and {@code auth} an authenticator (one MAC per
   * replica). At-most-once execution is per (clientKey, clientId).
   */
  record Request(
      long clientId, long requestNumber, Address client, Bytes op, Bytes clientKey, Bytes auth)
      implements HotStuffMessage {
    static final int TAG = 1;
    static final int CLIENT_KEY_MAX = 65;
    static final int AUTHENTICATOR_MAX = Limits.REPLICAS_MAX * 32;
    static final int HOST_MAX = 255;

    public Request {
      assert requestNumber > 0 : requestNumber; // pair: the decoder rejects 0
    }

    Request(long clientId, long requestNumber, Address client, Bytes op) {
      this(clientId, requestNumber, client, op, Bytes.EMPTY, Bytes.EMPTY);
    }

    void encodeSigned(Writer out) {
      out.u8(TAG).i64(clientId).u64(requestNumber);
      Bytes host = Bytes.utf8(client.host());
      assert host.length() <= HOST_MAX : client;
      out.bytes(host).u16(client.port()).bytes(op).bytes(clientKey);
    }

    /** As a message, and inside a block: the signed bytes and the authentication. */
    void encodeBody(Writer out) {
      encodeSigned(out);
      out.bytes(auth);
    }

    static Request decodeBody(Reader in) throws MalformedMessage {
      if (in.u8() != TAG) throw MalformedMessage.of("Request.tag");
      return decodeAfterTag(in);
    }

    static Request decodeAfterTag(Reader in) throws MalformedMessage {
      long clientId = in.i64();
      long requestNumber = in.u64();
      if (requestNumber == 0) throw MalformedMessage.of("Request.requestNumber");
      Bytes host = in.bytes(HOST_MAX);
      int port = in.u16();
      if (host.length() == 0) throw MalformedMessage.of("Request.host");
      Address client = new Address(new String(host.unsafeArray(), StandardCharsets.UTF_8), port);
      Bytes op = in.bytes(Limits.OP_MAX);
      Bytes clientKey = in.bytes(CLIENT_KEY_MAX);
      return new Request(
          clientId, requestNumber, client, op, clientKey, in.bytes(AUTHENTICATOR_MAX));
    }

    Request withAuth(Bytes key, Bytes authentication) {
      return new Request(clientId, requestNumber, client, op, key, authentication);
    }
  }

  /**
   * A replica's reply to a request it executed, signed (or with {@code --auth hmac} MACed for the
   * client). With {@code retryFrom} above 0 it refuses the request instead (no result; see {@link
   * oskr.protocol.ClientTable}): the client sends the operation again numbered {@code retryFrom} or
   * higher.
   */
  record Reply(
      long view,
      long clientId,
      long requestNumber,
      int replica,
      Bytes result,
      long retryFrom,
      Bytes auth)
      implements HotStuffMessage {
    static final int TAG = 2;

    public Reply {
      assert requestNumber > 0 : requestNumber;
      assert retryFrom == 0 || result.length() == 0 : "a refusal with a result";
    }

    boolean isRefusal() {
      return retryFrom > 0;
    }

    void encodeSigned(Writer out) {
      out.u8(TAG).u64(view).i64(clientId).u64(requestNumber).u8(replica).bytes(result);
      out.u64(retryFrom);
    }

    void encode(Writer out) {
      encodeSigned(out);
      out.bytes(auth);
    }

    static Reply decode(Reader in) throws MalformedMessage {
      long view = in.u64();
      long clientId = in.i64();
      long requestNumber = in.u64();
      if (requestNumber == 0) throw MalformedMessage.of("Reply.requestNumber");
      int replica = in.replicaIndex(Limits.REPLICAS_MAX);
      Bytes result = in.bytes(Limits.OP_MAX);
      long retryFrom = in.u64();
      if (retryFrom != 0 && result.length() != 0) throw MalformedMessage.of("Reply.retryFrom");
      Bytes auth = in.bytes(Limits.SIGNATURE_MAX);
      return new Reply(view, clientId, requestNumber, replica, result, retryFrom, auth);
    }

    Reply withAuth(Bytes authentication) {
      return new Reply(view, clientId, requestNumber, replica, result, retryFrom, authentication);
    }
  }

  /**
   * The leader's proposal of {@code block} in its view (Algorithm 3's generic phase): {@code
   * digest} is the block's, checked by verify, and the leader signs (view, digest).
   */
  record Proposal(Block block, Digest digest, Bytes signature) implements HotStuffMessage {
    static final int TAG = 3;

    /** A signature, or with HMAC an authenticator: one MAC per replica. */
    static final int AUTH_MAX =
        Math.max(Limits.SIGNATURE_MAX, Limits.REPLICAS_MAX * HmacSha256.MAC_LENGTH);

    void encodeSigned(Writer out) {
      out.u8(TAG).u64(block.view()).digest(digest);
    }

    void encode(Writer out) {
      out.u8(TAG).digest(digest).bytes(signature);
      block.encode(out);
    }

    static Proposal decode(Reader in) throws MalformedMessage {
      Digest digest = in.digest();
      Bytes signature = in.bytes(AUTH_MAX);
      return new Proposal(Block.decode(in), digest, signature);
    }
  }

  /** VOTE: replica {@code replica} votes for {@code block} of {@code view}, to the next leader. */
  record Vote(long view, Digest block, int replica, Bytes signature) implements HotStuffMessage {
    static final int TAG = 4;

    public Vote {
      assert view > 0 : "a vote for the genesis view";
    }

    void encodeSigned(Writer out) {
      QuorumCert.encodeVote(out, view, block);
    }

    void encode(Writer out) {
      out.u8(TAG).u64(view).digest(block).u8(replica).bytes(signature);
    }

    static Vote decode(Reader in) throws MalformedMessage {
      long view = in.u64();
      if (view == 0) throw MalformedMessage.of("Vote.view");
      Digest block = in.digest();
      int replica = in.replicaIndex(Limits.REPLICAS_MAX);
      return new Vote(view, block, replica, in.bytes(Limits.SIGNATURE_MAX));
    }
  }

  /**
   * NEW-VIEW (§4.3, the pacemaker): replica {@code replica} timed out into {@code view} (or was
   * pulled there by f+1 others) and carries its highest QC. Broadcast, so that f+1 of them pull
   * laggards forward and n-f let the view's leader propose. {@code nonce}, signed with the rest, is
   * zero but in a recovery: a replica recovering from a state loss asks with a fresh one, and the
   * answers echo it, so that only answers sent after the restart count (Recovery).
   */
  record NewView(long view, QuorumCert qcHigh, int replica, long nonce, Bytes signature)
      implements HotStuffMessage {
    static final int TAG = 5;

    public NewView {
      assert view > qcHigh.view() : "a NEW-VIEW for a certified view";
    }

    void encodeSigned(Writer out) {
      out.u8(TAG).u64(view).u64(qcHigh.view()).digest(qcHigh.block()).u8(replica).i64(nonce);
    }

    void encode(Writer out) {
      out.u8(TAG).u64(view).u8(replica).i64(nonce).bytes(signature);
      qcHigh.encode(out);
    }

    static NewView decode(Reader in) throws MalformedMessage {
      long view = in.u64();
      int replica = in.replicaIndex(Limits.REPLICAS_MAX);
      long nonce = in.i64();
      Bytes signature = in.bytes(Limits.SIGNATURE_MAX);
      QuorumCert qcHigh = QuorumCert.decode(in);
      if (view <= qcHigh.view()) throw MalformedMessage.of("NewView.view");
      return new NewView(view, qcHigh, replica, nonce, signature);
    }

    NewView withSignature(Bytes signed) {
      return new NewView(view, qcHigh, replica, nonce, signed);
    }
  }

  /** Block sync: asks for {@code block} and up to {@code count - 1} of its ancestors. */
  record FetchBlocks(Digest block, int count, int replica) implements HotStuffMessage {
    static final int TAG = 6;
    static final int COUNT_MAX = 64;

    public FetchBlocks {
      assert count > 0 && count <= COUNT_MAX : count;
    }

    void encode(Writer out) {
      out.u8(TAG).digest(block).u8(count).u8(replica);
    }

    static FetchBlocks decode(Reader in) throws MalformedMessage {
      Digest block = in.digest();
      int count = in.u8();
      if (count == 0 || count > COUNT_MAX) throw MalformedMessage.of("FetchBlocks.count");
      return new FetchBlocks(block, count, in.replicaIndex(Limits.REPLICAS_MAX));
    }
  }

  /**
   * Block sync's answer: {@code blocks} is a chain, newest first, each the parent of the one
   * before; {@code head} is the first one's digest. Verify checks both, so the receiver knows every
   * block's digest (each the {@code justify} of the block before it). Unsigned: a block is
   * authenticated by the QC that certified its digest, which the receiver already holds.
   */
  record Blocks(Digest head, List<Block> blocks, int replica) implements HotStuffMessage {
    static final int TAG = 7;

    public Blocks {
      blocks = List.copyOf(blocks);
      assert !blocks.isEmpty() && blocks.size() <= FetchBlocks.COUNT_MAX : blocks.size();
    }

    /** The digest of block {@code i}: verified by {@link HotStuff#verify}. */
    Digest digest(int i) {
      return i == 0 ? head : blocks.get(i - 1).parent();
    }

    void encode(Writer out) {
      out.u8(TAG).digest(head).u8(replica).u8(blocks.size());
      for (Block block : blocks) block.encode(out);
    }

    static Blocks decode(Reader in) throws MalformedMessage {
      Digest head = in.digest();
      int replica = in.replicaIndex(Limits.REPLICAS_MAX);
      int count = in.u8();
      if (count == 0 || count > FetchBlocks.COUNT_MAX) throw MalformedMessage.of("Blocks.count");
      List<Block> blocks = new ArrayList<>(count);
      for (int i = 0; i < count; i++) blocks.add(Block.decode(in));
      return new Blocks(head, blocks, replica);
    }
  }

  /**
   * CHECKPOINT: replica {@code replica} executed the committed chain up to {@code block}, the
   * {@code height}-th committed block above genesis, and its state there (app, client table, op
   * number) digests to {@code stateDigest} ({@link oskr.protocol.ChunkTree}). Signed, so that f+1
   * matching ones prove the state to any replica: at least one correct replica vouches for it.
   */
  record Checkpoint(long height, Digest block, Digest stateDigest, int replica, Bytes signature)
      implements HotStuffMessage {
    static final int TAG = 8;

    public Checkpoint {
      assert height > 0 : "a checkpoint of genesis";
    }

    void encodeSigned(Writer out) {
      out.u8(TAG).u64(height).digest(block).digest(stateDigest).u8(replica);
    }

    void encode(Writer out) {
      encodeSigned(out);
      out.bytes(signature);
    }

    static Checkpoint decode(Reader in) throws MalformedMessage {
      long height = in.u64();
      if (height == 0) throw MalformedMessage.of("Checkpoint.height");
      Digest block = in.digest();
      Digest stateDigest = in.digest();
      int replica = in.replicaIndex(Limits.REPLICAS_MAX);
      return new Checkpoint(height, block, stateDigest, replica, in.bytes(Limits.SIGNATURE_MAX));
    }

    Checkpoint withSignature(Bytes signed) {
      return new Checkpoint(height, block, stateDigest, replica, signed);
    }
  }

  /**
   * State transfer: replica {@code replica} asks for chunk {@code chunk} of the proven checkpoint
   * at {@code height}. Unsigned: the answer proves itself against the digest the requester holds.
   */
  record FetchState(long height, int chunk, int replica) implements HotStuffMessage {
    static final int TAG = 9;

    public FetchState {
      assert height > 0 && chunk >= 0 : height + " " + chunk;
    }

    void encode(Writer out) {
      out.u8(TAG).u64(height).u32(chunk).u8(replica);
    }

    static FetchState decode(Reader in) throws MalformedMessage {
      long height = in.u64();
      if (height == 0) throw MalformedMessage.of("FetchState.height");
      int chunk = in.u32();
      return new FetchState(height, chunk, in.replicaIndex(Limits.REPLICAS_MAX));
    }
  }

  /**
   * State transfer's answer: a chunk of the state of the checkpoint at {@code height} whose digest
   * is {@code stateDigest}, with its path. Verify checks the chunk against {@code stateDigest}; the
   * receiver takes it only if that is the digest f+1 CHECKPOINTs proved. Unsigned.
   */
  record StateChunk(long height, Digest stateDigest, ChunkPart part, int replica)
      implements HotStuffMessage {
    static final int TAG = 10;

    public StateChunk {
      assert height > 0 : height;
    }

    void encode(Writer out) {
      out.u8(TAG).u64(height).digest(stateDigest).u8(replica);
      part.encode(out);
    }

    static StateChunk decode(Reader in) throws MalformedMessage {
      long height = in.u64();
      if (height == 0) throw MalformedMessage.of("StateChunk.height");
      Digest stateDigest = in.digest();
      int replica = in.replicaIndex(Limits.REPLICAS_MAX);
      return new StateChunk(height, stateDigest, ChunkPart.decode(in, "StateChunk"), replica);
    }
  }
}
