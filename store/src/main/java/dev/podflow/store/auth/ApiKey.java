package dev.podflow.store.auth;

import java.time.Instant;

/**
 * An API key as stored, without its secret: {@code id} ({@code pfk_…}) names it in listings, audit
 * entries and revocation; {@code user} is null for a key that acts for no person in particular.
 */
public record ApiKey(
    String id,
    String tenantId,
    Role role,
    String user,
    Instant createdAt,
    Instant expiresAt,
    Instant revokedAt) {

  /** Whether the key authenticates at {@code now}: not revoked and not expired. */
  public boolean activeAt(Instant now) {
    return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
  }
}
