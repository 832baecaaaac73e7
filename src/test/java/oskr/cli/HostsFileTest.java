package oskr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostsFileTest {
  @Test
  void readsRolesUsersPortsFoldersAndJava() throws Exception {
    List<HostsFile.Host> hosts =
        HostsFile.parse(
            """
            # a comment
            replica oskr@10.0.0.1:7001 /home/oskr/run java=/opt/jdk-25/bin/java
            replica oskr@node2 /home/oskr/run   # trailing comment

            client  bench@10.0.0.9 /tmp/c
            """,
            "hosts.txt");
    assertThat(hosts)
        .containsExactly(
            new HostsFile.Host(
                HostsFile.Role.REPLICA,
                "oskr",
                "10.0.0.1",
                7001,
                "/home/oskr/run",
                "/opt/jdk-25/bin/java",
                2),
            new HostsFile.Host(
                HostsFile.Role.REPLICA,
                "oskr",
                "node2",
                HostsFile.DEFAULT_PORT,
                "/home/oskr/run",
                "java",
                3),
            new HostsFile.Host(HostsFile.Role.CLIENT, "bench", "10.0.0.9", 0, "/tmp/c", "java", 5));
    assertThat(hosts.get(0).target()).isEqualTo("oskr@10.0.0.1");
  }

  @Test
  void badLinesNameTheFileLineAndProblem() {
    String client = "client u@c /w\n";
    assertProblem(
        "server u@h /w\n" + client, "hosts.txt line 1: the role must be replica or client");
    assertProblem("replica h /w\n" + client, "line 1: expected USER@ADDRESS");
    assertProblem("replica u@h:0 /w\n" + client, "line 1: the port must be 1..65535");
    assertProblem("replica u@h:x /w\n" + client, "line 1: the port must be 1..65535");
    assertProblem("replica u@h relative\n" + client, "line 1: WORKDIR must be an absolute path");
    assertProblem("replica u@h /w;rm\n" + client, "line 1: WORKDIR must be an absolute path");
    assertProblem("replica u@h /w jdk=/j\n" + client, "line 1: the fourth field must be java=PATH");
    assertProblem("replica u@h\n" + client, "line 1: expected ROLE USER@ADDRESS[:PORT] WORKDIR");
    assertProblem("replica u@h /w\nclient u@c:7 /w\n", "line 2: a client host takes no port");
    assertProblem(
        "replica u@h /w\nreplica v@h:7000 /x\n" + client, "line 2: a second replica at h:7000");
    assertProblem("replica u@h$(x) /w\n" + client, "line 1: bad address");
    assertProblem(client, "hosts.txt: no replica line");
    assertProblem("replica u@h /w\n", "hosts.txt: no client line");
  }

  private static void assertProblem(String text, String message) {
    assertThatThrownBy(() -> HostsFile.parse(text, "hosts.txt"))
        .isInstanceOf(HostsFileException.class)
        .hasMessageContaining(message);
  }
}
