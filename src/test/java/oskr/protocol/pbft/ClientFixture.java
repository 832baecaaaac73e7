package oskr.protocol.pbft;

import java.util.ArrayList;
import java.util.List;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.Scheme;
import oskr.protocol.Client;
import oskr.protocol.ClientSetup;
import oskr.protocol.Options;
import oskr.protocol.RecordingContext;
import oskr.sim.SimKeys;
import oskr.sim.SimulationBuilder;

/**
 * One PBFT client (id 7, HMAC, n = 4) on a {@link RecordingContext}, with the results it delivered:
 * the setting of the client's unit tests.
 */
final class ClientFixture {
  static final Config CONFIG = SimulationBuilder.replicaConfig(4, 1);

  final RecordingContext<PbftMessage> context =
      new RecordingContext<>(new Address("10.0.0.9", 50000), CONFIG);
  final List<Bytes> results = new ArrayList<>();
  final Crypto crypto = new Crypto(new SimKeys(1, 4, Scheme.HMAC).client(0));
  final Client<PbftMessage> client;

  /** A client with {@code options}, authenticating with HMAC. */
  ClientFixture(Options options) {
    client =
        Pbft.INSTANCE.client(
            new ClientSetup<>(
                CONFIG,
                7,
                options.withScheme(Scheme.HMAC),
                context,
                (result, completion) -> results.add(result)));
  }
}
