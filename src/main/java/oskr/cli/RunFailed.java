package oskr.cli;

/**
 * A run could not complete (a replica died before it was ready, no request completed): the command
 * prints the message on one line and exits with code 1. Not for operator errors, which are {@link
 * oskr.core.ConfigException}s with exit code 2.
 */
final class RunFailed extends Exception {
  RunFailed(String message) {
    super(message, null, false, false);
  }
}
