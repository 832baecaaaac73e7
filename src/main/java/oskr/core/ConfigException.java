package oskr.core;

/** The operator gave a bad config, key file or option: the message names the file and line. */
public final class ConfigException extends Exception {
  public ConfigException(String message) {
    super(message, null, false, false);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
