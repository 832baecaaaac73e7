package oskr.cli;

import oskr.core.Address;

/**
 * The line a server prints on stdout once it serves, which {@code oskr bench} waits for before it
 * starts the client: {@code oskr WHO ready at HOST:PORT (DETAILS)}.
 */
final class Ready {
  private Ready() {}

  private static final String PREFIX = "oskr ";
  private static final String MARK = " ready at ";

  static String line(String who, Address address, String details) {
    return PREFIX + who + MARK + address + (details.isEmpty() ? "" : " (" + details + ")");
  }

  static boolean isReadyLine(String line) {
    return line.startsWith(PREFIX) && line.contains(MARK);
  }
}
