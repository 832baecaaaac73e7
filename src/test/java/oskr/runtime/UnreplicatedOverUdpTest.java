package oskr.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import oskr.core.App;
import oskr.core.Config;
import oskr.core.crypto.Scheme;
import oskr.protocol.Options;
import oskr.protocol.unreplicated.Unreplicated;
import oskr.runtime.RuntimeFixtures.CountingDriver;
import oskr.runtime.udp.Transport;

class UnreplicatedOverUdpTest {
  @RegisterExtension final Opened open = new Opened();

  @ParameterizedTest
  @CsvSource({
    "NIO, INLINE",
    "NIO, THREAD",
    "EPOLL, INLINE",
    "EPOLL, THREAD",
    "MMSG, INLINE",
    "MMSG, THREAD"
  })
  void plainClientsCompleteRequests(Transport transport, StageMode stage) throws Exception {
    Config config = RuntimeFixtures.oneReplica();
    RuntimeOptions runtime = RuntimeOptions.defaults().withTransport(transport).withStage(stage);
    ReplicaHost replica =
        open.track(
            ReplicaHost.start(
                Unreplicated.PLAIN,
                config,
                0,
                RuntimeFixtures.clientKeyring(Scheme.ED25519),
                RuntimeFixtures.NULL_APP,
                Options.defaults(),
                runtime));
    CountingDriver driver = CountingDriver.empty(2_000);
    ClientHost clients =
        open.track(
            ClientHost.start(
                Unreplicated.PLAIN,
                config,
                RuntimeFixtures.clientKeyring(Scheme.ED25519),
                Options.defaults(),
                4,
                2,
                driver,
                transport));

    assertThat(driver.await(20)).as("2000 completions").isTrue();
    assertThat(driver.wrong.get()).isZero();
    assertThat(replica.failure()).isEmpty();
    assertThat(clients.failure()).isEmpty();
    assertThat(replica.drops()).doesNotContainKeys("rejected: signature on a plain reply");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void clientsResendOnTheirTimersWhenTheReplicaDropsHalf(Transport transport) throws Exception {
    Config config = RuntimeFixtures.oneReplica();
    Options options = Options.defaults().withResendTimeout(java.time.Duration.ofMillis(20));
    ReplicaHost replica =
        open.track(
            ReplicaHost.start(
                Unreplicated.PLAIN,
                config,
                0,
                RuntimeFixtures.clientKeyring(Scheme.ED25519),
                RuntimeFixtures.NULL_APP,
                options,
                RuntimeOptions.defaults().withTransport(transport).withDropRate(0.5)));
    CountingDriver driver = CountingDriver.empty(100);
    open.track(
        ClientHost.start(
            Unreplicated.PLAIN,
            config,
            RuntimeFixtures.clientKeyring(Scheme.ED25519),
            options,
            2,
            1,
            driver,
            transport));

    assertThat(driver.await(20)).as("100 completions through resends").isTrue();
    assertThat(replica.drops().get(ReplicaInbound.DROPPED_ON_PURPOSE)).isGreaterThan(20);
  }

  @ParameterizedTest
  @MethodSource("schemesAndStages")
  void signedRepliesAreVerifiedByClients(Scheme scheme, StageMode stage) throws Exception {
    Config config = RuntimeFixtures.oneReplica();
    Options options = Options.defaults().withScheme(scheme);
    open.track(
        ReplicaHost.start(
            Unreplicated.SIGNED,
            config,
            0,
            RuntimeFixtures.replicaKeyring(scheme),
            RuntimeFixtures.NULL_APP,
            options,
            RuntimeOptions.defaults().withWorkers(2).withStage(stage)));
    CountingDriver driver = CountingDriver.empty(100);
    ClientHost clients =
        open.track(
            ClientHost.start(
                Unreplicated.SIGNED,
                config,
                RuntimeFixtures.clientKeyring(scheme),
                options,
                3,
                1,
                driver));

    assertThat(driver.await(30)).as("100 signed completions").isTrue();
    assertThat(clients.drops()).doesNotContainKey("rejected: bad reply signature");
  }

  @Test
  void clientsRejectRepliesSignedWithAnotherKey() throws Exception {
    Config config = RuntimeFixtures.oneReplica();
    Options options = Options.defaults().withScheme(Scheme.ED25519);
    var wrongKey = RuntimeFixtures.replicaKey(7);
    var impostor =
        new oskr.core.crypto.Keyring(
            Scheme.ED25519, List.of(wrongKey.publicKeys()), java.util.Optional.of(wrongKey));
    open.track(
        ReplicaHost.start(
            Unreplicated.SIGNED,
            config,
            0,
            impostor,
            RuntimeFixtures.NULL_APP,
            options,
            RuntimeOptions.defaults()));
    CountingDriver driver = CountingDriver.empty(1);
    ClientHost clients =
        open.track(
            ClientHost.start(
                Unreplicated.SIGNED,
                config,
                RuntimeFixtures.clientKeyring(Scheme.ED25519),
                options,
                1,
                1,
                driver));

    Waits.until(() -> clients.drops().getOrDefault("rejected: bad reply signature", 0L) > 0, 10);
    assertThat(driver.completed.get()).isZero();
  }

  @Test
  void aPortInUseIsOneClearIoException() throws Exception {
    Config config = RuntimeFixtures.oneReplica();
    open.track(
        ReplicaHost.start(
            Unreplicated.PLAIN,
            config,
            0,
            RuntimeFixtures.clientKeyring(Scheme.ED25519),
            RuntimeFixtures.NULL_APP,
            Options.defaults(),
            RuntimeOptions.defaults()));

    assertThatThrownBy(
            () ->
                ReplicaHost.start(
                    Unreplicated.PLAIN,
                    config,
                    0,
                    RuntimeFixtures.clientKeyring(Scheme.ED25519),
                    RuntimeFixtures.NULL_APP,
                    Options.defaults(),
                    RuntimeOptions.defaults()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(config.replica(0).toString())
        .hasMessageContaining("already in use");
  }

  @ParameterizedTest
  @EnumSource(StageMode.class)
  void anExceptionInTheNodeStopsTheReplica(StageMode stage) throws Exception {
    try (CapturedErrors errors = new CapturedErrors()) {
      replicaStopsOnAPlantedAppBug(stage);
      Waits.until(() -> !errors.messages().isEmpty(), 5);
      assertThat(errors.messages()).singleElement().asString().endsWith("the node stops");
    }
  }

  private void replicaStopsOnAPlantedAppBug(StageMode stage) throws Exception {
    Config config = RuntimeFixtures.oneReplica();
    ReplicaHost replica =
        open.track(
            ReplicaHost.start(
                Unreplicated.PLAIN,
                config,
                0,
                RuntimeFixtures.clientKeyring(Scheme.ED25519),
                App.stateless(
                    (opNumber, op) -> {
                      throw new IllegalStateException("planted app bug");
                    }),
                Options.defaults(),
                RuntimeOptions.defaults().withStage(stage)));
    CountingDriver driver = CountingDriver.empty(1);
    open.track(
        ClientHost.start(
            Unreplicated.PLAIN,
            config,
            RuntimeFixtures.clientKeyring(Scheme.ED25519),
            Options.defaults(),
            1,
            1,
            driver));

    Waits.until(() -> replica.failure().isPresent(), 10);
    assertThat(replica.failure().get()).hasMessage("planted app bug");
    assertThat(replica.drops()).isNotNull(); // answers after the failure, without the node
    assertThat(driver.completed.get()).isZero();
  }

  static Stream<Arguments> schemesAndStages() {
    return Stream.of(Scheme.values())
        .flatMap(scheme -> Stream.of(StageMode.values()).map(stage -> Arguments.of(scheme, stage)));
  }

  @ParameterizedTest
  @EnumSource(StageMode.class)
  void closeEndsEveryThread(StageMode stage) throws Exception {
    Config config = RuntimeFixtures.oneReplica();
    ReplicaHost replica =
        ReplicaHost.start(
            Unreplicated.PLAIN,
            config,
            0,
            RuntimeFixtures.clientKeyring(Scheme.ED25519),
            RuntimeFixtures.NULL_APP,
            Options.defaults(),
            RuntimeOptions.defaults().withWorkers(2).withStage(stage));
    CountingDriver driver = CountingDriver.empty(10);
    ClientHost clients =
        ClientHost.start(
            Unreplicated.PLAIN,
            config,
            RuntimeFixtures.clientKeyring(Scheme.ED25519),
            Options.defaults(),
            2,
            2,
            driver);
    assertThat(driver.await(10)).isTrue();

    clients.close();
    long completedAtClose = driver.completed.get();
    replica.close();

    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(
            // Client loops are oskr-c0, oskr-c1...; the process-wide oskr-crypto-warm-up thread
            // (started once by whichever test signs first) is neither.
            thread ->
                thread.getName().startsWith("oskr-r0-")
                    || thread.getName().matches("oskr-c\\d+.*"));
    assertThat(driver.completed.get()).isEqualTo(completedAtClose);
  }
}
