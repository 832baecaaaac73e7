package oskr.protocol.pbft;

import java.util.List;
import oskr.core.Config;
import oskr.core.Digest;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.Scheme;
import oskr.protocol.Rejected;
import oskr.protocol.pbft.PbftMessage.Checkpoint;
import oskr.protocol.pbft.PbftMessage.Commit;
import oskr.protocol.pbft.PbftMessage.PrePrepare;
import oskr.protocol.pbft.PbftMessage.Prepare;
import oskr.protocol.pbft.ViewChange.PrePrepared;
import oskr.protocol.pbft.ViewChange.PreparedProof;

/**
 * Stateless checks of authenticated messages and of the certificates and claims built from them
 * (TOCS §4.3, §4.4, §5.2). Run on workers from {@link Pbft#verify}; each failure names its reason.
 */
final class Certificates {
  private Certificates() {}

  static int primary(long view, Config config) {
    return (int) (view % config.n());
  }

  static void member(int replica, Config config) throws Rejected {
    if (replica >= config.n()) throw Rejected.of(Pbft.NOT_MEMBER);
  }

  /**
   * Whether this run authenticates agreement messages with MACs (TOCS §5) rather than signatures.
   */
  static boolean macs(Crypto crypto) {
    return crypto.scheme() == Scheme.HMAC;
  }

  static void prePrepare(PrePrepare m, Config config, Crypto crypto) throws Rejected {
    if (!Auth.verifyAgreement(crypto, primary(m.view(), config), m::encodeSigned, m.auth())) {
      throw Rejected.of(Pbft.BAD_SIGNATURE);
    }
    batchMatches(m, crypto);
  }

  private static void batchMatches(PrePrepare m, Crypto crypto) throws Rejected {
    if (!Batches.digest(m.batch(), crypto).equals(m.digest())) {
      throw Rejected.of("batch does not match its digest");
    }
  }

  static void prepare(Prepare m, Config config, Crypto crypto) throws Rejected {
    member(m.replica(), config);
    if (m.replica() == primary(m.view(), config)) throw Rejected.of("prepare from the primary");
    if (!Auth.verifyAgreement(crypto, m.replica(), m::encodeSigned, m.auth())) {
      throw Rejected.of(Pbft.BAD_SIGNATURE);
    }
  }

  static void commit(Commit m, Config config, Crypto crypto) throws Rejected {
    member(m.replica(), config);
    if (!Auth.verifyAgreement(crypto, m.replica(), m::encodeSigned, m.auth())) {
      throw Rejected.of(Pbft.BAD_SIGNATURE);
    }
  }

  static void checkpoint(Checkpoint m, Config config, Crypto crypto) throws Rejected {
    member(m.replica(), config);
    if (!Auth.verify(crypto, m.replica(), m::encodeSigned, m.auth())) {
      throw Rejected.of(Pbft.BAD_SIGNATURE);
    }
  }

  /** A stable-checkpoint proof: 2f+1 CHECKPOINTs for (seq, digest) from distinct replicas. */
  static void stableProof(
      long seq, Digest digest, List<Checkpoint> proof, Config config, Crypto crypto)
      throws Rejected {
    if (proof.size() != 2 * config.f() + 1) throw Rejected.of("checkpoint proof size");
    boolean[] seen = new boolean[config.n()];
    for (Checkpoint checkpoint : proof) {
      if (checkpoint.seq() != seq || !checkpoint.stateDigest().equals(digest)) {
        throw Rejected.of("checkpoint proof does not match");
      }
      checkpoint(checkpoint, config, crypto);
      if (seen[checkpoint.replica()]) throw Rejected.of("checkpoint proof repeats a replica");
      seen[checkpoint.replica()] = true;
    }
  }

  /**
   * A P entry of a VIEW-CHANGE. With signatures a prepared certificate (TOCS §4.2): the PRE-PREPARE
   * and 2f matching PREPAREs of backups. With MACs a claim (TOCS §5.2): the PRE-PREPARE without
   * auth, no PREPAREs; only its batch is checked against its digest.
   */
  static void prepared(PreparedProof proof, Config config, Crypto crypto) throws Rejected {
    PrePrepare prePrepare = proof.prePrepare();
    if (macs(crypto)) {
      if (!proof.prepares().isEmpty() || prePrepare.auth().length() != 0) {
        throw Rejected.of("prepared claim with authentication");
      }
      batchMatches(prePrepare, crypto);
      return;
    }
    if (proof.prepares().size() != 2 * config.f()) throw Rejected.of("prepared proof size");
    prePrepare(prePrepare, config, crypto);
    boolean[] seen = new boolean[config.n()];
    for (Prepare prepare : proof.prepares()) {
      if (prepare.view() != prePrepare.view()
          || prepare.seq() != prePrepare.seq()
          || !prepare.digest().equals(prePrepare.digest())) {
        throw Rejected.of("prepared proof does not match");
      }
      prepare(prepare, config, crypto);
      if (seen[prepare.replica()]) throw Rejected.of("prepared proof repeats a replica");
      seen[prepare.replica()] = true;
    }
  }

  /**
   * A committed certificate: the PRE-PREPARE and 2f+1 matching signed COMMITs. With HMAC, COMMITs
   * convince only their receiver: the proof holds one COMMIT of its sender, a claim that counts
   * once f+1 replicas made it ({@link StateTransfer}); the PRE-PREPARE's authenticator is not for
   * us to check (it may come from a NEW-VIEW and have none), only its batch.
   */
  static void committed(CommittedProof proof, Config config, Crypto crypto) throws Rejected {
    PrePrepare prePrepare = proof.prePrepare();
    int commits = macs(crypto) ? 1 : 2 * config.f() + 1;
    if (proof.commits().size() != commits) throw Rejected.of("committed proof size");
    if (macs(crypto)) {
      batchMatches(prePrepare, crypto);
    } else {
      prePrepare(prePrepare, config, crypto);
    }
    boolean[] seen = new boolean[config.n()];
    for (Commit commit : proof.commits()) {
      if (commit.view() != prePrepare.view()
          || commit.seq() != prePrepare.seq()
          || !commit.digest().equals(prePrepare.digest())) {
        throw Rejected.of("committed proof does not match");
      }
      commit(commit, config, crypto);
      if (seen[commit.replica()]) throw Rejected.of("committed proof repeats a replica");
      seen[commit.replica()] = true;
    }
  }

  /** Everything in a VIEW-CHANGE except who sent it: its checkpoint proof and certificates. */
  static void viewChange(ViewChange m, Config config, Crypto crypto) throws Rejected {
    member(m.replica(), config);
    if (!Auth.verify(crypto, m.replica(), m::encodeSigned, m.auth())) {
      throw Rejected.of(Pbft.BAD_SIGNATURE);
    }
    if (m.stableSeq() == 0) {
      if (!m.stableProof().isEmpty()) throw Rejected.of("proof for the initial checkpoint");
    } else {
      Digest digest =
          m.stableProof().isEmpty() ? Digest.ZERO : m.stableProof().get(0).stateDigest();
      stableProof(m.stableSeq(), digest, m.stableProof(), config, crypto);
    }
    long previousSeq = m.stableSeq();
    for (PreparedProof proof : m.prepared()) {
      // Sorted, distinct, inside the window above the checkpoint, from earlier views.
      if (proof.seq() <= previousSeq) throw Rejected.of("prepared certificates out of order");
      if (proof.seq() > m.stableSeq() + PbftMessage.WINDOW_MAX) {
        throw Rejected.of("prepared certificate outside the window");
      }
      if (proof.view() >= m.newView()) throw Rejected.of("prepared certificate from the new view");
      prepared(proof, config, crypto);
      previousSeq = proof.seq();
    }
    prePrepared(m, crypto);
  }

  /**
   * The Q set: empty with certificates; with MACs sorted by sequence number inside the window above
   * the checkpoint, from earlier views, distinct digests and at most {@link
   * ViewChange#PRE_PREPARED_PER_SEQ_MAX} per sequence number.
   */
  private static void prePrepared(ViewChange m, Crypto crypto) throws Rejected {
    if (!macs(crypto)) {
      if (!m.prePrepared().isEmpty()) throw Rejected.of("pre-prepared set with certificates");
      return;
    }
    List<PrePrepared> entries = m.prePrepared();
    for (int i = 0; i < entries.size(); i++) {
      PrePrepared entry = entries.get(i);
      if (entry.seq() <= m.stableSeq() || entry.seq() > m.stableSeq() + PbftMessage.WINDOW_MAX) {
        throw Rejected.of("pre-prepared entry outside the window");
      }
      if (entry.view() >= m.newView()) throw Rejected.of("pre-prepared entry from the new view");
      int sameSeq = 1;
      for (int j = i - 1; j >= 0 && entries.get(j).seq() == entry.seq(); j--) {
        if (entries.get(j).digest().equals(entry.digest())) {
          throw Rejected.of("pre-prepared entry repeats a digest");
        }
        sameSeq++;
      }
      if (i > 0 && entries.get(i - 1).seq() > entry.seq()) {
        throw Rejected.of("pre-prepared entries out of order");
      }
      if (sameSeq > ViewChange.PRE_PREPARED_PER_SEQ_MAX) {
        throw Rejected.of("too many pre-prepared entries");
      }
    }
  }

  /**
   * A NEW-VIEW: valid VIEW-CHANGEs for its view from distinct replicas (2f+1; with MACs 2f+1 or
   * more, as many as the primary needed to decide) and exactly the PRE-PREPAREs they imply.
   */
  static void newView(NewView m, Config config, Crypto crypto, NewViewPlan.Rule rule)
      throws Rejected {
    int primary = primary(m.view(), config);
    if (!Auth.verify(crypto, primary, m::encodeSigned, m.auth())) {
      throw Rejected.of(Pbft.BAD_SIGNATURE);
    }
    int size = m.viewChanges().size();
    int quorum = 2 * config.f() + 1;
    if (size < quorum || size > (macs(crypto) ? config.n() : quorum)) {
      throw Rejected.of("new view needs 2f+1");
    }
    boolean[] seen = new boolean[config.n()];
    for (ViewChange viewChange : m.viewChanges()) {
      if (viewChange.newView() != m.view()) throw Rejected.of("view change for another view");
      viewChange(viewChange, config, crypto);
      if (seen[viewChange.replica()]) throw Rejected.of("new view repeats a replica");
      seen[viewChange.replica()] = true;
    }
    NewViewPlan plan = rule.plan(m.view(), m.viewChanges(), config.f(), macs(crypto));
    if (plan == null) throw Rejected.of("new view cannot decide from V");
    if (!plan.matches(m.prePrepares())) throw Rejected.of("new view does not match V");
    for (PrePrepare header : m.prePrepares()) {
      // Headers only: the batches are those of V's certificates, already checked above.
      if (!header.batch().isEmpty()) throw Rejected.of("new view carries a batch");
      if (macs(crypto)) {
        // Covered by the NEW-VIEW's signature; nobody else needs to check them later.
        if (header.auth().length() != 0) throw Rejected.of("new view header with authentication");
      } else if (!Auth.verify(crypto, primary, header::encodeSigned, header.auth())) {
        throw Rejected.of(Pbft.BAD_SIGNATURE);
      }
    }
  }
}
