package dev.podflow.launcher;

import dev.podflow.store.auth.ApiKeys;
import dev.podflow.store.auth.Role;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code keys create}'s arguments, so that a bad one is a usage error (exit 2, with the
 * command's usage) before any database is opened.
 */
final class KeyArguments {
  private static final String[] ROLE_NAMES =
      Arrays.stream(Role.values()).map(Role::wireName).toArray(String[]::new);

  private KeyArguments() {}

  /** {@code --tenant}: what {@link ApiKeys#requireValidTenantId} accepts. */
  static final class TenantId implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      try {
        ApiKeys.requireValidTenantId(value);
        return value;
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code --role}: a role's wire name. */
  static final class RoleName implements ITypeConverter<Role> {
    @Override
    public Role convert(String value) {
      return Role.fromWireName(value)
          .orElseThrow(
              () ->
                  new TypeConversionException(
                      "no role '" + value + "'; the roles are " + String.join(", ", ROLE_NAMES)));
    }
  }

  /** The roles' wire names, for {@code --role}'s description. */
  static final class RoleNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.asList(ROLE_NAMES).iterator();
    }
  }

  /** {@code --user}: a name, not blank, of at most {@link ApiKeys#USER_NAME_LIMIT} characters. */
  static final class UserName implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (value.isBlank()) {
        throw new TypeConversionException("the user name is blank; leave --user out or name one");
      }
      if (value.length() > ApiKeys.USER_NAME_LIMIT) {
        throw new TypeConversionException(
            "the user name is longer than " + ApiKeys.USER_NAME_LIMIT + " characters");
      }
      return value;
    }
  }

  /**
   * {@code --expires-in}: {@code 90s}, {@code 90m}, {@code 12h}, {@code 30d} or ISO-8601 ({@code
   * P30D}, {@code PT12H}); more than zero and at most {@link #LONGEST}.
   */
  static final class ExpiresIn implements ITypeConverter<Duration> {
    /** Far beyond any sensible key life, and well within what PostgreSQL stores. */
    static final Duration LONGEST = Duration.ofDays(36_500);

    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})([smhd])");
    private static final Map<String, ChronoUnit> UNITS =
        Map.of(
            "s", ChronoUnit.SECONDS,
            "m", ChronoUnit.MINUTES,
            "h", ChronoUnit.HOURS,
            "d", ChronoUnit.DAYS);

    @Override
    public Duration convert(String value) {
      Duration duration = parse(value);
      if (duration.isNegative() || duration.isZero()) {
        throw new TypeConversionException(
            "a key must expire after it is created; got " + value + ", give a duration above zero");
      }
      if (duration.compareTo(LONGEST) > 0) {
        throw new TypeConversionException(
            "at most " + LONGEST.toDays() + "d; got " + value + " (leave it out for no expiry)");
      }
      return duration;
    }

    private static Duration parse(String value) {
      Matcher shortForm = SHORT.matcher(value);
      if (shortForm.matches()) {
        return Duration.of(Long.parseLong(shortForm.group(1)), UNITS.get(shortForm.group(2)));
      }
      try {
        return Duration.parse(value.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "expected a duration like 30d, 12h, 90m, 45s or ISO-8601 P30D; got '" + value + "'");
      }
    }
  }
}
