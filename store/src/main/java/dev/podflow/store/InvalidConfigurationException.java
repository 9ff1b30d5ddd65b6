package dev.podflow.store;

/**
 * A setting (environment variable, URL, number) is missing or malformed; the message says how to
 * fix it.
 */
public class InvalidConfigurationException extends PodflowException {
  public InvalidConfigurationException(String message) {
    super(message);
  }
}
