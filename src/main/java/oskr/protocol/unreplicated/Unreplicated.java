package oskr.protocol.unreplicated;

import java.util.List;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.ConfigException;
import oskr.core.Writer;
import oskr.core.crypto.Crypto;
import oskr.protocol.Client;
import oskr.protocol.ClientSetup;
import oskr.protocol.Codec;
import oskr.protocol.FaultModel;
import oskr.protocol.Protocol;
import oskr.protocol.Rejected;
import oskr.protocol.Replica;
import oskr.protocol.ReplicaSetup;
import oskr.protocol.SimulationTarget;
import oskr.protocol.unreplicated.UnreplicatedMessage.Reply;
import oskr.protocol.unreplicated.UnreplicatedMessage.Request;

/**
 * Unreplicated, plain ({@link #PLAIN}) and signed ({@link #SIGNED}): one server, no fault
 * tolerance, the baseline that shows the framework's own cost. The signed variant shows the cost of
 * one signature per request and how the stage spreads it over workers.
 */
public final class Unreplicated implements Protocol<UnreplicatedMessage> {
  public static final Unreplicated PLAIN = new Unreplicated(false);
  public static final Unreplicated SIGNED = new Unreplicated(true);

  private final boolean signed;

  private Unreplicated(boolean signed) {
    this.signed = signed;
  }

  public boolean signed() {
    return signed;
  }

  @Override
  public String name() {
    return signed ? "unreplicated-signed" : "unreplicated";
  }

  @Override
  public int id() {
    return signed ? 2 : 1;
  }

  @Override
  public boolean usesSignatures() {
    return signed;
  }

  @Override
  public void checkConfig(Config config, String fileName) throws ConfigException {
    if (config.f() != 0 || config.n() != 1) {
      throw new ConfigException(
          fileName
              + ": "
              + name()
              + " runs one replica and tolerates no fault: the config must say f 0 and list one"
              + " replica (it says f "
              + config.f()
              + " and lists "
              + config.n()
              + ")");
    }
  }

  @Override
  public Codec<UnreplicatedMessage> codec() {
    return UnreplicatedCodec.INSTANCE;
  }

  @Override
  public void verify(UnreplicatedMessage message, Address from, Config config, Crypto crypto)
      throws Rejected {
    switch (message) {
      case Request m -> {} // clients are not authenticated in Unreplicated
      case Reply m -> {
        if (!signed) {
          if (m.signature().length() != 0) throw Rejected.of("signature on a plain reply");
          return;
        }
        Writer out = crypto.scratch();
        m.encodeSigned(out);
        if (!crypto.verify(0, out.buffer(), 0, out.position(), m.signature())) {
          throw Rejected.of("bad reply signature");
        }
      }
    }
  }

  /** The stateless signing job: the reply with the server's signature over its canonical bytes. */
  static Reply sign(Reply reply, Crypto crypto) {
    Writer out = crypto.scratch();
    reply.encodeSigned(out);
    Bytes signature = crypto.sign(out.buffer(), 0, out.position());
    return reply.withSignature(signature);
  }

  @Override
  public Replica<UnreplicatedMessage> replica(ReplicaSetup<UnreplicatedMessage> setup) {
    return new UnreplicatedReplica(setup, signed);
  }

  @Override
  public Client<UnreplicatedMessage> client(ClientSetup<UnreplicatedMessage> setup) {
    return new UnreplicatedClient(setup);
  }

  /**
   * Unreplicated tolerates no server fault: its server may only pause (a crash that keeps its
   * state), and no replica is Byzantine.
   */
  @Override
  public List<SimulationTarget<UnreplicatedMessage>> simulationTargets() {
    return List.of(SimulationTarget.of(this, FaultModel.crash(0, false)));
  }
}
