package oskr.cli;

/** A hosts file that cannot be read or has a bad line; the message names the file and line. */
public final class HostsFileException extends Exception {
  public HostsFileException(String message) {
    super(message);
  }
}
