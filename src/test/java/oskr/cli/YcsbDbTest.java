package oskr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.Vector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import oskr.app.KvStore;
import oskr.core.Address;
import oskr.core.Config;
import oskr.core.crypto.Keyring;
import oskr.core.crypto.Scheme;
import oskr.core.crypto.SigningKey;
import oskr.protocol.Options;
import oskr.protocol.unreplicated.Unreplicated;
import oskr.runtime.ReplicaHost;
import oskr.runtime.RuntimeOptions;
import site.ycsb.ByteIterator;
import site.ycsb.DBException;
import site.ycsb.Status;
import site.ycsb.StringByteIterator;

/**
 * The real YCSB client's DB binding against a replica over UDP: insert, read (all or some fields),
 * update, scan and delete with YCSB's statuses; a wrong protocol fails its init.
 */
class YcsbDbTest {
  @TempDir Path directory;

  private static int freePort() throws IOException {
    try (DatagramChannel probe = DatagramChannel.open()) {
      probe.bind(new InetSocketAddress("127.0.0.1", 0));
      return ((InetSocketAddress) probe.getLocalAddress()).getPort();
    }
  }

  private static Map<String, ByteIterator> values(String... namesAndValues) {
    Map<String, String> text = new HashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2)
      text.put(namesAndValues[i], namesAndValues[i + 1]);
    return StringByteIterator.getByteIteratorMap(text);
  }

  @Test
  void theBindingRunsYcsbsOperationsThroughAProtocolClient() throws Exception {
    int port = freePort();
    ConfigFiles.write(directory, "local", "f 0\nreplica 127.0.0.1:" + port + "\n");
    Config config = Config.of(0, List.of(new Address("127.0.0.1", port)));
    SigningKey key = SigningKey.derive("ycsb binding test".getBytes(StandardCharsets.UTF_8));
    Keyring keyring = new Keyring(Scheme.ED25519, List.of(key.publicKeys()), Optional.of(key));
    try (ReplicaHost replica =
        ReplicaHost.start(
            Unreplicated.PLAIN,
            config,
            0,
            keyring,
            new KvStore(),
            Options.defaults(),
            RuntimeOptions.defaults())) {
      YcsbDb db = new YcsbDb();
      Properties properties = new Properties();
      properties.setProperty("oskr.protocol", "unreplicated");
      properties.setProperty("oskr.config", directory.resolve("local").toString());
      db.setProperties(properties);
      db.init();
      try {
        assertThat(db.insert("usertable", "user1", values("field0", "a", "field1", "b")))
            .isEqualTo(Status.OK);
        assertThat(db.insert("usertable", "user2", values("field0", "c", "field1", "d")))
            .isEqualTo(Status.OK);
        assertThat(db.update("usertable", "user1", values("field1", "e"))).isEqualTo(Status.OK);
        Map<String, ByteIterator> read = new HashMap<>();
        assertThat(db.read("usertable", "user1", null, read)).isEqualTo(Status.OK);
        assertThat(StringByteIterator.getStringMap(read))
            .isEqualTo(Map.of("field0", "a", "field1", "e"));
        Map<String, ByteIterator> one = new HashMap<>();
        assertThat(db.read("usertable", "user2", Set.of("field1"), one)).isEqualTo(Status.OK);
        assertThat(StringByteIterator.getStringMap(one)).isEqualTo(Map.of("field1", "d"));
        Vector<HashMap<String, ByteIterator>> rows = new Vector<>();
        assertThat(db.scan("usertable", "user1", 5, null, rows)).isEqualTo(Status.OK);
        assertThat(rows).hasSize(2);
        assertThat(db.delete("usertable", "user2")).isEqualTo(Status.OK);
        assertThat(db.read("usertable", "user2", null, new HashMap<>()))
            .isEqualTo(Status.NOT_FOUND);
        assertThat(db.update("usertable", "user9", values("field0", "x")))
            .isEqualTo(Status.NOT_FOUND);
      } finally {
        db.cleanup();
      }
    }
  }

  @Test
  void anUnknownProtocolFailsInit() {
    YcsbDb db = new YcsbDb();
    Properties properties = new Properties();
    properties.setProperty("oskr.protocol", "paxos");
    db.setProperties(properties);
    org.assertj.core.api.Assertions.assertThatThrownBy(db::init)
        .isInstanceOf(DBException.class)
        .hasMessageContaining("paxos");
  }
}
