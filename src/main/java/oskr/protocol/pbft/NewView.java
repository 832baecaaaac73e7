package oskr.protocol.pbft;

import java.util.ArrayList;
import java.util.List;
import oskr.core.Bytes;
import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.protocol.pbft.PbftMessage.PrePrepare;

/**
 * NEW-VIEW(v+1, V, O) of TOCS §4.4, signed by the primary of v+1: V holds 2f+1 VIEW-CHANGEs for v+1
 * from distinct replicas, O the PRE-PREPAREs for v+1 that {@link NewViewPlan} computes from V, as
 * signed headers without batches: each receiver takes the batch from the certificate in V that the
 * plan chose (null requests are empty batches), so no batch travels twice.
 */
record NewView(long view, List<ViewChange> viewChanges, List<PrePrepare> prePrepares, Bytes auth)
    implements PbftMessage {
  static final int TAG = 8;

  public NewView {
    assert view > 0 : view;
    viewChanges = List.copyOf(viewChanges);
    prePrepares = List.copyOf(prePrepares);
  }

  void encodeSigned(Writer out) {
    out.u8(TAG).u64(view).u32(viewChanges.size());
    for (ViewChange viewChange : viewChanges) viewChange.encode(out);
    out.u32(prePrepares.size());
    for (PrePrepare prePrepare : prePrepares) prePrepare.encode(out);
  }

  void encode(Writer out) {
    encodeSigned(out);
    out.bytes(auth);
  }

  static NewView decode(Reader in) throws MalformedMessage {
    long view = in.u64();
    if (view == 0) throw MalformedMessage.of("NewView.view");
    int count = in.count(Limits.REPLICAS_MAX);
    List<ViewChange> viewChanges = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (in.u8() != ViewChange.TAG) throw MalformedMessage.of("expected ViewChange");
      viewChanges.add(ViewChange.decode(in));
    }
    count = in.count(WINDOW_MAX);
    List<PrePrepare> prePrepares = new ArrayList<>(Math.min(count, 64));
    for (int i = 0; i < count; i++) prePrepares.add(Codecs.prePrepare(in));
    return new NewView(view, viewChanges, prePrepares, in.bytes(Limits.SIGNATURE_MAX));
  }

  NewView withAuth(Bytes auth) {
    return new NewView(view, viewChanges, prePrepares, auth);
  }
}
