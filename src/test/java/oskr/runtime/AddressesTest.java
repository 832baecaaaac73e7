package oskr.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import oskr.core.Address;
import oskr.core.Config;
import oskr.runtime.udp.Tags;

/** Names of senders, tagged or not, and where sends to a name go. */
class AddressesTest {
  private final Config config = Config.of(0, List.of(new Address("127.0.0.1", 7001)));
  private final InetSocketAddress replica = new InetSocketAddress("127.0.0.1", 7001);
  private final Addresses addresses = new Addresses(config, new InetSocketAddress[] {replica});
  private final InetSocketAddress client = new InetSocketAddress("127.0.0.1", 40000);

  @Test
  void aTaggedSenderIsNamedByAddressAndTagAndSendsGoBackToBoth() {
    Address name = addresses.address(client, 42);
    assertThat(name).isEqualTo(new Address("127.0.0.1/0000002a", 40000));
    assertThat(addresses.address(client, 42)).isSameAs(name); // cached
    assertThat(addresses.endpoint(name)).isEqualTo(new Addresses.Endpoint(client, 42));
    Address last = Addresses.of(client, Integer.MAX_VALUE);
    assertThat(last.host()).isEqualTo("127.0.0.1/7fffffff");
    assertThat(addresses.endpoint(last))
        .isEqualTo(new Addresses.Endpoint(client, Integer.MAX_VALUE));
  }

  @Test
  void untaggedNamesAndReplicasHaveNoTag() {
    assertThat(addresses.address(client, Tags.NONE)).isEqualTo(new Address("127.0.0.1", 40000));
    assertThat(addresses.endpoint(new Address("127.0.0.1", 40000)))
        .isEqualTo(new Addresses.Endpoint(client, Tags.NONE));
    assertThat(addresses.endpoint(config.replica(0)))
        .isEqualTo(new Addresses.Endpoint(replica, Tags.NONE));
  }

  @Test
  void malformedTaggedHostsGoNowhere() {
    for (String host :
        List.of(
            "127.0.0.1/2a", // not eight digits
            "127.0.0.1/+000002a", // a sign
            "127.0.0.1/0000002A", // not as of() writes it
            "127.0.0.1/ffffffff", // above 2^31-1
            "127.0.0.1/0000002a/", // a second separator
            "replica.example/0000002a", // not an IP literal
            "/0000002a")) {
      assertThat(addresses.endpoint(new Address(host, 40000))).as(host).isNull();
    }
  }
}
