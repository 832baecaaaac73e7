package oskr.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import oskr.core.Address;
import oskr.core.ConfigException;
import oskr.runtime.EchoServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code oskr echo-server} (hidden; {@code oskr bench -m udp-echo} starts it): answers every
 * request with no protocol behind it, to measure the raw UDP limit with the same client loop. The
 * one call into the runtime is {@link #startServer}.
 */
@Command(
    name = "echo-server",
    hidden = true,
    description = "Answer every request on 127.0.0.1:PORT without a protocol (for oskr bench).",
    footer = {"%nExample:", "  oskr echo-server --port 7001"})
final class EchoServerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin CommonOptions.Help help;

  @Option(names = "--port", required = true, paramLabel = "PORT", description = "UDP port.")
  int port;

  @Mixin CommonOptions.TransportOption transport;

  @Mixin CommonOptions.ExitWithParent exitWithParent;

  @Override
  public Integer call() throws ConfigException, InterruptedException {
    CommonOptions.require(spec, port >= 1 && port <= 0xffff, "--port must be 1..65535");
    exitWithParent.apply();
    Address address = new Address("127.0.0.1", port);
    AutoCloseable server;
    try {
      server = EchoServer.start(address, transport.transport);
    } catch (IOException e) {
      throw new ConfigException(
          "the echo server cannot listen on " + address + ": " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(server), "oskr-echo-stop"));
    out.println(Ready.line("echo-server", address, "udp-echo"));
    out.flush();
    new CountDownLatch(1).await(); // until a signal: the shutdown hook then closes the server
    return Oskr.EXIT_OK;
  }

  private static void closeQuietly(AutoCloseable server) {
    try {
      server.close();
    } catch (Exception e) {
      // Shutting down anyway; a failed close leaves nothing the OS does not reclaim.
    }
  }
}
