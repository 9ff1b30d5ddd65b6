package dev.podflow.store.user;

import java.time.Instant;
import java.util.List;

/**
 * A person of a tenant ({@code users}, V27), as the API shows it.
 *
 * @param roles every role the user was seen with (keys issued to it, sign-ins), sorted
 * @param email where the notifier sends email; null for none
 * @param displayName null for none
 */
public record User(
    String id,
    List<String> roles,
    String email,
    String displayName,
    Instant createdAt,
    Instant updatedAt) {
  public User {
    roles = List.copyOf(roles);
  }
}
