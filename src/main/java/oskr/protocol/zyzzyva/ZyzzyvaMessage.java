package oskr.protocol.zyzzyva;

import java.util.List;
import java.util.Optional;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;

/**
 * The messages of Zyzzyva, named as in Kotla et al., SOSP 2007 / TOCS 2009, plus the view-change
 * and state-transfer messages of this implementation. {@code auth} is a signature (or MAC, see
 * {@code Auth}) over {@code encodeSigned}; replica indexes are decoded below {@link
 * Limits#REPLICAS_MAX} and checked against the config by {@link Zyzzyva#verify}.
 */
public sealed interface ZyzzyvaMessage {
  /** The most sequence numbers a list in a message may cover: the largest log window. */
  int WINDOW_MAX = ZyzzyvaSettings.WINDOW_MAX;

  /**
   * REQUEST(o, t, c): the client's address, its key and its signature (or, with {@code hmac}, an
   * authenticator with one MAC per replica).
   */
  record Request(
      long clientId, long requestNumber, Address client, Bytes op, Bytes clientKey, Bytes auth)
      implements ZyzzyvaMessage {
    static final int TAG = 1;
    static final int CLIENT_KEY_MAX = 65;
    static final int AUTHENTICATOR_MAX = Limits.REPLICAS_MAX * 32;

    public Request {
      assert requestNumber > 0 : requestNumber; // pair: the decoder rejects 0
    }

    Request(long clientId, long requestNumber, Address client, Bytes op) {
      this(clientId, requestNumber, client, op, Bytes.EMPTY, Bytes.EMPTY);
    }

    void encodeSigned(Writer out) {
      out.u8(TAG).i64(clientId).u64(requestNumber);
      Codecs.address(out, client);
      out.bytes(op).bytes(clientKey);
    }

    void encode(Writer out) {
      encodeSigned(out);
      out.bytes(auth);
    }

    static Request decode(Reader in) throws MalformedMessage {
      long clientId = in.i64();
      long requestNumber = Codecs.positive(in, "Request.requestNumber");
      Address client = Codecs.address(in);
      Bytes op = in.bytes(Limits.OP_MAX);
      Bytes clientKey = in.bytes(CLIENT_KEY_MAX);
      return new Request(
          clientId, requestNumber, client, op, clientKey, in.bytes(AUTHENTICATOR_MAX));
    }

    Request withAuth(Bytes key, Bytes authentication) {
      return new Request(clientId, requestNumber, client, op, key, authentication);
    }

    /** Who the client is for at-most-once execution: its key and its id. */
    ClientKey key() {
      return new ClientKey(clientKey, clientId);
    }
  }

  /**
   * ORDER-REQ(v, n, h_n, d) with the batch it orders (SOSP'07 §3.1, the batch piggybacked). The
   * primary of v signs (v, n, h_n) ({@code auth}); {@code h_n = H(h_{n-1} || d)} binds the batch
   * and the whole history before it, and {@link Zyzzyva#verify} checks it from {@code
   * previousDigest}. Under {@code hmac} the primary also sends an authenticator over (v, n, h_n)
   * ({@code macs}, one MAC per replica), which its receivers check instead of the signature; the
   * signature is the evidence that travels (proofs of misbehaviour, FILL-HOLE answers), where it is
   * checked. Empty under signature schemes and in orders a replica sends on from its history.
   */
  record OrderReq(
      long view,
      long seq,
      Digest previousDigest,
      Digest historyDigest,
      List<Request> batch,
      Bytes auth,
      Bytes macs)
      implements ZyzzyvaMessage {
    static final int TAG = 2;

    public OrderReq {
      assert seq > 0 : seq;
      batch = List.copyOf(batch);
    }

    /** An order with its signature (or none yet) and no authenticator. */
    OrderReq(
        long view,
        long seq,
        Digest previousDigest,
        Digest historyDigest,
        List<Request> batch,
        Bytes auth) {
      this(view, seq, previousDigest, historyDigest, batch, auth, Bytes.EMPTY);
    }

    void encodeSigned(Writer out) {
      Codecs.orderStatement(out, view, seq, historyDigest);
    }

    void encode(Writer out) {
      out.u8(TAG).u64(view).u64(seq).digest(previousDigest).digest(historyDigest);
      out.bytes(auth).bytes(macs);
      Codecs.batch(out, batch);
    }

    static OrderReq decode(Reader in) throws MalformedMessage {
      long view = in.u64();
      long seq = Codecs.positive(in, "OrderReq.seq");
      Digest previous = in.digest();
      Digest history = in.digest();
      Bytes auth = in.bytes(Limits.SIGNATURE_MAX);
      Bytes macs = in.bytes(Request.AUTHENTICATOR_MAX);
      return new OrderReq(view, seq, previous, history, Codecs.batch(in), auth, macs);
    }

    OrderReq withAuth(Bytes authentication) {
      return new OrderReq(view, seq, previousDigest, historyDigest, batch, authentication, macs);
    }

    OrderReq withAuth(Bytes signature, Bytes authenticator) {
      return new OrderReq(
          view, seq, previousDigest, historyDigest, batch, signature, authenticator);
    }
  }

  /**
   * SPEC-RESPONSE(v, n, h_n, H(r), c, t, i, r, OR) of SOSP'07 §3.1: replica i's speculative result
   * with its history, and the primary's signature on the order (v, n, h_n) ({@code orderAuth}), so
   * that a client that sees two orders for one n can prove the primary's misbehaviour. Two more
   * authenticators: {@code batchAuth}, replica i's signature on its {@link Codecs#voteStatement}
   * (v, n, h_n), made once per ORDER-REQ and shared by every response of the batch (2f+1 of them
   * make a {@link CommitCert}); and {@code auth}, over {@link #encodeSigned}, a MAC for the client
   * with {@code hmac}, else replica i's signature. See {@code Auth} for why each is needed.
   */
  record SpecResponse(
      long view,
      long seq,
      Digest historyDigest,
      long clientId,
      long requestNumber,
      Bytes result,
      int replica,
      Bytes orderAuth,
      Bytes batchAuth,
      Bytes auth)
      implements ZyzzyvaMessage {
    static final int TAG = 3;

    public SpecResponse {
      assert seq > 0 && requestNumber > 0 : seq + " " + requestNumber;
    }

    /** What {@code auth} covers: everything the client acts on but the two signatures. */
    void encodeSigned(Writer out) {
      out.u8(TAG).u64(view).u64(seq).digest(historyDigest).i64(clientId).u64(requestNumber);
      out.bytes(result).u8(replica);
    }

    void encode(Writer out) {
      encodeSigned(out);
      out.bytes(orderAuth).bytes(batchAuth).bytes(auth);
    }

    static SpecResponse decode(Reader in) throws MalformedMessage {
      long view = in.u64();
      long seq = Codecs.positive(in, "SpecResponse.seq");
      Digest history = in.digest();
      long clientId = in.i64();
      long requestNumber = Codecs.positive(in, "SpecResponse.requestNumber");
      Bytes result = in.bytes(Limits.OP_MAX);
      int replica = in.replicaIndex(Limits.REPLICAS_MAX);
      Bytes orderAuth = in.bytes(Limits.SIGNATURE_MAX);
      Bytes batchAuth = in.bytes(Limits.SIGNATURE_MAX);
      return new SpecResponse(
          view,
          seq,
          history,
          clientId,
          requestNumber,
          result,
          replica,
          orderAuth,
          batchAuth,
          in.bytes(Limits.SIGNATURE_MAX));
    }

    SpecResponse withAuth(Bytes authentication) {
      return withAuths(batchAuth, authentication);
    }

    SpecResponse withAuths(Bytes batchSignature, Bytes authentication) {
      return new SpecResponse(
          view,
          seq,
          historyDigest,
          clientId,
          requestNumber,
          result,
          replica,
          orderAuth,
          batchSignature,
          authentication);
    }
  }

  /** One replica's signature in a certificate. */
  record Signature(int replica, Bytes signature) {
    void encode(Writer out) {
      out.u8(replica).bytes(signature);
    }

    static Signature decode(Reader in) throws MalformedMessage {
      return new Signature(in.replicaIndex(Limits.REPLICAS_MAX), in.bytes(Limits.SIGNATURE_MAX));
    }
  }

  /**
   * A commit certificate (SOSP'07 §3.2): 2f+1 replicas' signed statements that their history at n
   * in view v is h_n ({@link Codecs#voteStatement}). Made by a client from the batch signatures of
   * SPEC-RESPONSEs, or by replicas from VOTEs (checkpoints, a new view's history). Transferable:
   * any node checks it.
   */
  record CommitCert(long view, long seq, Digest historyDigest, List<Signature> signatures) {
    public CommitCert {
      signatures = List.copyOf(signatures);
    }

    void encode(Writer out) {
      out.u64(view).u64(seq).digest(historyDigest).u32(signatures.size());
      for (Signature signature : signatures) signature.encode(out);
    }

    static CommitCert decode(Reader in) throws MalformedMessage {
      long view = in.u64();
      long seq = Codecs.positive(in, "CommitCert.seq");
      Digest history = in.digest();
      int count = in.count(Limits.REPLICAS_MAX);
      List<Signature> signatures = new java.util.ArrayList<>(count);
      for (int i = 0; i < count; i++) signatures.add(Signature.decode(in));
      return new CommitCert(view, seq, history, signatures);
    }
  }

  /**
   * COMMIT(c, CC) of SOSP'07 §3.2: the client's commit certificate, from 2f+1 matching
   * SPEC-RESPONSEs, with the request it completes and the result they agreed on (which a replica
   * compares with its own record before it answers LOCAL-COMMIT; the certificate binds the history,
   * and the history the result).
   */
  record Commit(Bytes clientKey, long clientId, long requestNumber, Bytes result, CommitCert cert)
      implements ZyzzyvaMessage {
    static final int TAG = 4;

    void encode(Writer out) {
      out.u8(TAG).bytes(clientKey).i64(clientId).u64(requestNumber).bytes(result);
      cert.encode(out);
    }

    static Commit decode(Reader in) throws MalformedMessage {
      Bytes clientKey = in.bytes(Request.CLIENT_KEY_MAX);
      long clientId = in.i64();
      long requestNumber = Codecs.positive(in, "Commit.requestNumber");
      Bytes result = in.bytes(Limits.OP_MAX);
      return new Commit(clientKey, clientId, requestNumber, result, CommitCert.decode(in));
    }
  }

  /**
   * LOCAL-COMMIT(v, d, h, i, c) of SOSP'07 §3.2: replica i holds a commit certificate covering the
   * client's request at (n, h_n), with its result. Also the answer to a retried request whose entry
   * a certificate covers.
   */
  record LocalCommit(
      long view,
      long seq,
      Digest historyDigest,
      long clientId,
      long requestNumber,
      Bytes result,
      int replica,
      Bytes auth)
      implements ZyzzyvaMessage {
    static final int TAG = 5;

    void encodeSigned(Writer out) {
      out.u8(TAG).u64(view).u64(seq).digest(historyDigest).i64(clientId).u64(requestNumber);
      out.bytes(result).u8(replica);
    }

    void encode(Writer out) {
      encodeSigned(out);
      out.bytes(auth);
    }

    static LocalCommit decode(Reader in) throws MalformedMessage {
      long view = in.u64();
      long seq = Codecs.positive(in, "LocalCommit.seq");
      Digest history = in.digest();
      long clientId = in.i64();
      long requestNumber = Codecs.positive(in, "LocalCommit.requestNumber");
      Bytes result = in.bytes(Limits.OP_MAX);
      int replica = in.replicaIndex(Limits.REPLICAS_MAX);
      return new LocalCommit(
          view,
          seq,
          history,
          clientId,
          requestNumber,
          result,
          replica,
          in.bytes(Limits.SIGNATURE_MAX));
    }

    LocalCommit withAuth(Bytes authentication) {
      return new LocalCommit(
          view, seq, historyDigest, clientId, requestNumber, result, replica, authentication);
    }
  }

  /**
   * FILL-HOLE(v, k, n, i) of SOSP'07 §3.4: replica i misses the orders k..n of view v. A replica in
   * a later view answers with its NEW-VIEW instead (how a lagging replica learns the view).
   */
  record FillHole(long view, long from, long to, int replica) implements ZyzzyvaMessage {
    static final int TAG = 6;

    void encode(Writer out) {
      out.u8(TAG).u64(view).u64(from).u64(to).u8(replica);
    }

    static FillHole decode(Reader in) throws MalformedMessage {
      long view = in.u64();
      long from = Codecs.positive(in, "FillHole.from");
      long to = in.u64();
      if (to < from || to - from >= WINDOW_MAX) throw MalformedMessage.of("FillHole.to");
      return new FillHole(view, from, to, in.replicaIndex(Limits.REPLICAS_MAX));
    }
  }

  /**
   * VOTE(v, n, h_n, i): replica i's signed statement that its history at n in view v is h_n, sent
   * at commit points (every checkpoint interval, and for a new view's history); 2f+1 matching make
   * a {@link CommitCert}. Deviation: the paper commits histories by checkpoints alone.
   */
  record Vote(long view, long seq, Digest historyDigest, int replica, Bytes auth)
      implements ZyzzyvaMessage {
    static final int TAG = 7;

    void encode(Writer out) {
      out.u8(TAG).u64(view).u64(seq).digest(historyDigest).u8(replica).bytes(auth);
    }

    static Vote decode(Reader in) throws MalformedMessage {
      long view = in.u64();
      long seq = Codecs.positive(in, "Vote.seq");
      Digest history = in.digest();
      int replica = in.replicaIndex(Limits.REPLICAS_MAX);
      return new Vote(view, seq, history, replica, in.bytes(Limits.SIGNATURE_MAX));
    }

    Vote withAuth(Bytes authentication) {
      return new Vote(view, seq, historyDigest, replica, authentication);
    }
  }

  /**
   * CHECKPOINT(n, h_n, state digest, i): replica i holds a commit certificate covering (n, h_n) and
   * its state there digests to {@code stateDigest}. 2f+1 matching make the checkpoint stable.
   */
  record Checkpoint(long seq, Digest historyDigest, Digest stateDigest, int replica, Bytes auth)
      implements ZyzzyvaMessage {
    static final int TAG = 8;

    void encodeSigned(Writer out) {
      Codecs.checkpointStatement(out, seq, historyDigest, stateDigest);
    }

    void encode(Writer out) {
      out.u8(TAG).u64(seq).digest(historyDigest).digest(stateDigest).u8(replica).bytes(auth);
    }

    static Checkpoint decode(Reader in) throws MalformedMessage {
      long seq = Codecs.positive(in, "Checkpoint.seq");
      Digest history = in.digest();
      Digest state = in.digest();
      int replica = in.replicaIndex(Limits.REPLICAS_MAX);
      return new Checkpoint(seq, history, state, replica, in.bytes(Limits.SIGNATURE_MAX));
    }

    Checkpoint withAuth(Bytes authentication) {
      return new Checkpoint(seq, historyDigest, stateDigest, replica, authentication);
    }
  }

  /**
   * A stable checkpoint with its proof: 2f+1 signed CHECKPOINTs for (n, h_n, state digest); seq 0
   * is the initial state, proved by nothing.
   */
  record CheckpointProof(
      long seq, Digest historyDigest, Digest stateDigest, List<Signature> signatures) {
    static final CheckpointProof INITIAL =
        new CheckpointProof(0, Digest.ZERO, Digest.ZERO, List.of());

    public CheckpointProof {
      signatures = List.copyOf(signatures);
    }

    void encode(Writer out) {
      out.u64(seq).digest(historyDigest).digest(stateDigest).u32(signatures.size());
      for (Signature signature : signatures) signature.encode(out);
    }

    static CheckpointProof decode(Reader in) throws MalformedMessage {
      long seq = in.u64();
      Digest history = in.digest();
      Digest state = in.digest();
      int count = in.count(Limits.REPLICAS_MAX);
      List<Signature> signatures = new java.util.ArrayList<>(count);
      for (int i = 0; i < count; i++) signatures.add(Signature.decode(in));
      return new CheckpointProof(seq, history, state, signatures);
    }
  }

  /** One batch of a history reported in a VIEW-CHANGE; its digests are recomputed. */
  record Entry(long seq, List<Request> batch) {
    public Entry {
      batch = List.copyOf(batch);
    }
  }

  /**
   * VIEW-CHANGE(v+1, checkpoint, CC, history, i), signed: replica i's stable checkpoint with proof,
   * its highest commit certificate consistent with its history, and its history above the
   * checkpoint, adopted in {@code historyView} (the view of the last NEW-VIEW it installed). See
   * {@code NewViewRule} for how the new primary decides from 2f+1 of them.
   */
  record ViewChange(
      long newView,
      long historyView,
      CheckpointProof checkpoint,
      Optional<CommitCert> cert,
      List<Entry> entries,
      int replica,
      Bytes auth)
      implements ZyzzyvaMessage {
    static final int TAG = 9;

    public ViewChange {
      entries = List.copyOf(entries);
      assert historyView < newView : historyView + " " + newView;
    }

    void encodeSigned(Writer out) {
      out.u8(TAG).u64(newView).u64(historyView);
      checkpoint.encode(out);
      out.bool(cert.isPresent());
      cert.ifPresent(c -> c.encode(out));
      out.u32(entries.size());
      for (Entry entry : entries) {
        out.u64(entry.seq());
        Codecs.batch(out, entry.batch());
      }
      out.u8(replica);
    }

    void encode(Writer out) {
      encodeSigned(out);
      out.bytes(auth);
    }

    static ViewChange decode(Reader in) throws MalformedMessage {
      long newView = Codecs.positive(in, "ViewChange.newView");
      long historyView = in.u64();
      if (historyView >= newView) throw MalformedMessage.of("ViewChange.historyView");
      CheckpointProof checkpoint = CheckpointProof.decode(in);
      Optional<CommitCert> cert = in.bool() ? Optional.of(CommitCert.decode(in)) : Optional.empty();
      int count = in.count(WINDOW_MAX);
      List<Entry> entries = new java.util.ArrayList<>(Math.min(count, 64));
      for (int i = 0; i < count; i++) {
        long seq = in.u64();
        if (seq != checkpoint.seq() + 1 + i) throw MalformedMessage.of("ViewChange.entries");
        entries.add(new Entry(seq, Codecs.batch(in)));
      }
      int replica = in.replicaIndex(Limits.REPLICAS_MAX);
      return new ViewChange(
          newView, historyView, checkpoint, cert, entries, replica, in.bytes(Limits.SIGNATURE_MAX));
    }

    ViewChange withAuth(Bytes authentication) {
      return new ViewChange(
          newView, historyView, checkpoint, cert, entries, replica, authentication);
    }
  }

  /** NEW-VIEW(v, V): the new primary's 2f+1 VIEW-CHANGEs; every replica recomputes the decision. */
  record NewView(long view, List<ViewChange> viewChanges, int replica, Bytes auth)
      implements ZyzzyvaMessage {
    static final int TAG = 10;

    public NewView {
      viewChanges = List.copyOf(viewChanges);
    }

    void encodeSigned(Writer out) {
      out.u8(TAG).u64(view).u32(viewChanges.size());
      for (ViewChange viewChange : viewChanges) viewChange.encode(out);
      out.u8(replica);
    }

    void encode(Writer out) {
      encodeSigned(out);
      out.bytes(auth);
    }

    static NewView decode(Reader in) throws MalformedMessage {
      long view = Codecs.positive(in, "NewView.view");
      int count = in.count(Limits.REPLICAS_MAX);
      List<ViewChange> viewChanges = new java.util.ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        if (in.u8() != ViewChange.TAG) throw MalformedMessage.of("NewView.viewChanges");
        viewChanges.add(ViewChange.decode(in));
      }
      int replica = in.replicaIndex(Limits.REPLICAS_MAX);
      return new NewView(view, viewChanges, replica, in.bytes(Limits.SIGNATURE_MAX));
    }

    NewView withAuth(Bytes authentication) {
      return new NewView(view, viewChanges, replica, authentication);
    }
  }

  /**
   * POM(v, n, OR, OR') of SOSP'07 §3.5: two orders the primary of v signed for one sequence number
   * n with different histories, from a client's SPEC-RESPONSEs.
   */
  record Pom(long view, long seq, Digest first, Bytes firstAuth, Digest second, Bytes secondAuth)
      implements ZyzzyvaMessage {
    static final int TAG = 11;

    void encode(Writer out) {
      out.u8(TAG).u64(view).u64(seq).digest(first).bytes(firstAuth).digest(second);
      out.bytes(secondAuth);
    }

    static Pom decode(Reader in) throws MalformedMessage {
      long view = in.u64();
      long seq = Codecs.positive(in, "Pom.seq");
      Digest first = in.digest();
      Bytes firstAuth = in.bytes(Limits.SIGNATURE_MAX);
      Digest second = in.digest();
      if (first.equals(second)) throw MalformedMessage.of("Pom.second");
      return new Pom(view, seq, first, firstAuth, second, in.bytes(Limits.SIGNATURE_MAX));
    }
  }

  /** FETCH-STATE(n, i): replica i asks for the state of the stable checkpoint n. */
  record FetchState(long seq, int replica) implements ZyzzyvaMessage {
    static final int TAG = 12;

    void encode(Writer out) {
      out.u8(TAG).u64(seq).u8(replica);
    }

    static FetchState decode(Reader in) throws MalformedMessage {
      long seq = Codecs.positive(in, "FetchState.seq");
      return new FetchState(seq, in.replicaIndex(Limits.REPLICAS_MAX));
    }
  }

  /**
   * The state of a stable checkpoint: its proof and the state (client records, then the app's
   * snapshot), whose digest {@link Zyzzyva#verify} checks against the proof.
   */
  record State(CheckpointProof proof, Bytes state, int replica) implements ZyzzyvaMessage {
    static final int TAG = 13;

    void encode(Writer out) {
      out.u8(TAG);
      proof.encode(out);
      out.bytes(state).u8(replica);
    }

    static State decode(Reader in) throws MalformedMessage {
      CheckpointProof proof = CheckpointProof.decode(in);
      if (proof.seq() == 0) throw MalformedMessage.of("State.proof");
      Bytes state = in.bytes(Limits.FRAME_MAX);
      return new State(proof, state, in.replicaIndex(Limits.REPLICAS_MAX));
    }
  }

  /** Who a client is, for at-most-once execution: its key and its id. */
  record ClientKey(Bytes key, long id) implements Comparable<ClientKey> {
    @Override
    public int compareTo(ClientKey other) {
      int byKey = key.compareTo(other.key);
      return byKey != 0 ? byKey : Long.compare(id, other.id);
    }
  }
}
