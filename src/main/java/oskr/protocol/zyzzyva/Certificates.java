package oskr.protocol.zyzzyva;

import oskr.core.Config;
import oskr.core.Writer;
import oskr.core.crypto.Crypto;
import oskr.protocol.Rejected;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.CheckpointProof;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.CommitCert;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.NewView;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Signature;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.ViewChange;

/**
 * Stateless checks of certificates and of the messages that carry them, run in {@link
 * Zyzzyva#verify} on workers: a replica handler only sees certificates that hold.
 */
final class Certificates {
  private Certificates() {}

  static final String NOT_MEMBER = "not a member";
  static final String BAD_CERT = "bad commit certificate";
  static final String BAD_CHECKPOINT_PROOF = "bad checkpoint proof";
  static final String BAD_SIGNATURE = "bad signature";
  static final String BAD_NEW_VIEW = "bad NEW-VIEW";

  static int quorum(Config config) {
    return 2 * config.f() + 1;
  }

  static int primary(long view, Config config) {
    return (int) (view % config.n());
  }

  static void member(int replica, Config config) throws Rejected {
    if (replica < 0 || replica >= config.n()) throw Rejected.of(NOT_MEMBER);
  }

  /** 2f+1 distinct replicas signed the vote statement (v, n, h_n). */
  static void commitCert(CommitCert cert, Config config, Crypto crypto) throws Rejected {
    if (cert.signatures().size() < quorum(config)) throw Rejected.of(BAD_CERT);
    boolean[] seen = new boolean[config.n()];
    for (Signature signature : cert.signatures()) {
      int replica = signature.replica();
      if (replica >= config.n() || seen[replica]) throw Rejected.of(BAD_CERT);
      seen[replica] = true;
      Writer out = crypto.scratch();
      Codecs.voteStatement(out, cert.view(), cert.seq(), cert.historyDigest());
      if (!crypto.verify(replica, out.buffer(), 0, out.position(), signature.signature())) {
        throw Rejected.of(BAD_CERT);
      }
    }
  }

  /** The initial state, or 2f+1 distinct replicas signed CHECKPOINT(n, h_n, state digest). */
  static void checkpointProof(CheckpointProof proof, Config config, Crypto crypto) throws Rejected {
    if (proof.seq() == 0) {
      if (!proof.equals(CheckpointProof.INITIAL)) throw Rejected.of(BAD_CHECKPOINT_PROOF);
      return;
    }
    if (proof.signatures().size() < quorum(config)) throw Rejected.of(BAD_CHECKPOINT_PROOF);
    boolean[] seen = new boolean[config.n()];
    for (Signature signature : proof.signatures()) {
      int replica = signature.replica();
      if (replica >= config.n() || seen[replica]) throw Rejected.of(BAD_CHECKPOINT_PROOF);
      seen[replica] = true;
      Writer out = crypto.scratch();
      Codecs.checkpointStatement(out, proof.seq(), proof.historyDigest(), proof.stateDigest());
      if (!crypto.verify(replica, out.buffer(), 0, out.position(), signature.signature())) {
        throw Rejected.of(BAD_CHECKPOINT_PROOF);
      }
    }
  }

  /** A VIEW-CHANGE signed by its sender, with a valid checkpoint proof and certificate. */
  static void viewChange(ViewChange message, Config config, Crypto crypto) throws Rejected {
    member(message.replica(), config);
    if (!Auth.verify(crypto, message.replica(), message::encodeSigned, message.auth())) {
      throw Rejected.of(BAD_SIGNATURE);
    }
    checkpointProof(message.checkpoint(), config, crypto);
    if (message.cert().isPresent()) {
      CommitCert cert = message.cert().get();
      if (cert.view() >= message.newView()) throw Rejected.of(BAD_CERT);
      commitCert(cert, config, crypto);
    }
  }

  /** A NEW-VIEW signed by the new primary, with 2f+1 valid VIEW-CHANGEs for its view. */
  static void newView(NewView message, Config config, Crypto crypto) throws Rejected {
    if (message.replica() != primary(message.view(), config)) throw Rejected.of(BAD_NEW_VIEW);
    if (!Auth.verify(crypto, message.replica(), message::encodeSigned, message.auth())) {
      throw Rejected.of(BAD_SIGNATURE);
    }
    if (message.viewChanges().size() != quorum(config)) throw Rejected.of(BAD_NEW_VIEW);
    boolean[] seen = new boolean[config.n()];
    for (ViewChange viewChange : message.viewChanges()) {
      if (viewChange.newView() != message.view()) throw Rejected.of(BAD_NEW_VIEW);
      member(viewChange.replica(), config);
      if (seen[viewChange.replica()]) throw Rejected.of(BAD_NEW_VIEW);
      seen[viewChange.replica()] = true;
      viewChange(viewChange, config, crypto);
    }
  }
}
