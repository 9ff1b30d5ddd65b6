package dev.podflow.engine.suspension;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The wake tokens of tasks that wait for something outside ({@link Suspensions#pollLater}): 32
 * random bytes, base64url, one per wait; the task keeps only their SHA-256. Stateless.
 */
public final class WakeTokens {
  private static final SecureRandom RANDOM = new SecureRandom();

  private WakeTokens() {}

  /** A fresh token. */
  public static String mint() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static byte[] hash(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
