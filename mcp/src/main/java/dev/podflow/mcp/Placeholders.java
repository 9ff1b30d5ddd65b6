package dev.podflow.mcp;

import dev.podflow.store.InvalidConfigurationException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} in one value of a server's definition. Errors name the reference and
 * where it was found, never a value. Stateless.
 */
final class Placeholders {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*)}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private Placeholders() {}

  /**
   * {@code value} with every {@code ${NAME}} replaced from {@code lookup}; {@code where} says what
   * the value is (e.g. {@code "mcp.json server 'github' env GITHUB_TOKEN"}) for the error.
   */
  static String resolve(String value, SecretLookup lookup, String where) {
    if (value == null || !value.contains("${")) return value;
    Matcher matcher = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    int end = 0;
    while (matcher.find()) {
      String name = matcher.group(1);
      if (!NAME.matcher(name).matches()) {
        throw new InvalidConfigurationException(
            where + ": '${" + name + "}' is not a reference; names are letters, digits and _");
      }
      String found =
          lookup
              .find(name)
              .orElseThrow(
                  () ->
                      new InvalidConfigurationException(
                          where + " refers to ${" + name + "}, which is not set"));
      out.append(value, end, matcher.start()).append(found);
      end = matcher.end();
    }
    String rest = value.substring(end);
    if (rest.contains("${")) {
      throw new InvalidConfigurationException(where + ": a '${' is not closed by '}'");
    }
    return out.append(rest).toString();
  }
}
