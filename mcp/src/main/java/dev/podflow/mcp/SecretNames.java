package dev.podflow.mcp;

import java.util.regex.Pattern;

/**
 * Which names look like they hold a credential (password, secret, token, API key, authorization,
 * cookie, credential, private key): the field names whose values events mask, and the env and
 * header names whose values a tenant must give as {@code ${NAME}} references to its secret store.
 * Stateless.
 */
public final class SecretNames {
  private static final Pattern SECRET_NAME =
      Pattern.compile(
          "(?i).*(passw|secret|token|api[-_]?key|auth|cookie|credential|private[-_]?key).*");

  private SecretNames() {}

  public static boolean looksSecret(String name) {
    return name != null && SECRET_NAME.matcher(name).matches();
  }
}
