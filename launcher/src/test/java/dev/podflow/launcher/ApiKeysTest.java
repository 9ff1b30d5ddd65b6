package dev.podflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.store.auth.ApiKeys;
import dev.podflow.store.auth.ApiKeys.IssuedKey;
import dev.podflow.store.auth.Role;
import dev.podflow.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@link ApiKeys#check}, which the keys the command prints must pass, against the test database:
 * only the exact key, unexpired and unrevoked, authenticates.
 */
class ApiKeysTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private final TestDatabase testDb = TestDatabase.shared();
  private final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);

  @Test
  void theRightIdWithAWrongSecretIsRefused() {
    ApiKeys keys = at(NOW);
    String key = keys.create(tenant, Role.ADMIN, null, null, "test").wholeKey();
    char last = key.charAt(key.length() - 1);
    String wrong = key.substring(0, key.length() - 1) + (last == 'a' ? 'b' : 'a');

    assertThat(keys.check(key)).isPresent();
    assertThat(keys.check(wrong)).isEmpty();
  }

  @Test
  void malformedKeysAreRefused() {
    ApiKeys keys = at(NOW);
    String key = keys.create(tenant, Role.USER, "bob", null, "test").wholeKey();

    assertThat(keys.check(null)).isEmpty();
    assertThat(keys.check("")).isEmpty();
    assertThat(keys.check(key + "x")).isEmpty();
    assertThat(keys.check(key.substring(0, key.length() - 1))).isEmpty();
    assertThat(keys.check(key.substring(key.lastIndexOf('_') + 1)))
        .as("the secret alone")
        .isEmpty();
    assertThat(keys.check(" " + key)).isEmpty();
  }

  @Test
  void aKeyPastItsExpiryIsRefused() {
    IssuedKey issued =
        at(NOW).create(tenant, Role.OPERATOR, null, NOW.plus(Duration.ofHours(1)), "test");

    assertThat(at(NOW.plus(Duration.ofMinutes(59))).check(issued.wholeKey())).isPresent();
    assertThat(at(NOW.plus(Duration.ofHours(1))).check(issued.wholeKey())).isEmpty();
    assertThat(issued.toString()).doesNotContain(issued.wholeKey());
  }

  private ApiKeys at(Instant now) {
    return new ApiKeys(testDb.database().jdbi(), Clock.fixed(now, ZoneOffset.UTC));
  }
}
