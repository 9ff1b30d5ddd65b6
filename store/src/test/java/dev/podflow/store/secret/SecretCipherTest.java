package dev.podflow.store.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podflow.store.InvalidConfigurationException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link SecretCipher}: AES-256-GCM with a fresh nonce per value, bound to its tenant and name, a
 * key checked once with a message that says how to make one and never repeats it.
 */
class SecretCipherTest {
  private static final String KEY = newKey();
  private final SecretCipher cipher = SecretCipher.fromBase64Key(KEY);

  static String newKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  @Test
  void aValueSealedForATenantAndNameOpensForThemOnly() {
    String value = "ghp_7aFz9 Bearer token — ünïcödé";
    byte[] ciphertext = cipher.encrypt("acme", "GITHUB_TOKEN", value);

    assertThat(ciphertext[0]).isEqualTo(SecretCipher.VERSION);
    assertThat(ciphertext).hasSize(1 + 12 + value.getBytes(StandardCharsets.UTF_8).length + 16);
    assertThat(new String(ciphertext, StandardCharsets.ISO_8859_1)).doesNotContain("ghp_7aFz9");
    assertThat(cipher.decrypt("acme", "GITHUB_TOKEN", ciphertext)).isEqualTo(value);

    assertThatThrownBy(() -> cipher.decrypt("other", "GITHUB_TOKEN", ciphertext))
        .isInstanceOf(SecretUnreadableException.class)
        .hasMessageContaining("GITHUB_TOKEN")
        .hasMessageContaining("other")
        .hasMessageNotContaining(value);
    assertThatThrownBy(() -> cipher.decrypt("acme", "OTHER_TOKEN", ciphertext))
        .isInstanceOf(SecretUnreadableException.class);
    // The NUL between tenant and name: "ac" + "me\0…" is not "acme" + "…".
    assertThatThrownBy(() -> cipher.decrypt("acmeG", "ITHUB_TOKEN", ciphertext))
        .isInstanceOf(SecretUnreadableException.class);
    assertThatThrownBy(
            () -> SecretCipher.fromBase64Key(newKey()).decrypt("acme", "GITHUB_TOKEN", ciphertext))
        .isInstanceOf(SecretUnreadableException.class)
        .hasMessageContaining(SecretCipher.KEY_VARIABLE);
  }

  @Test
  void everyEncryptionTakesAFreshNonce() {
    byte[] first = cipher.encrypt("acme", "T", "same value");
    byte[] second = cipher.encrypt("acme", "T", "same value");

    assertThat(first).isNotEqualTo(second);
    assertThat(java.util.Arrays.copyOfRange(first, 1, 13))
        .isNotEqualTo(java.util.Arrays.copyOfRange(second, 1, 13));
  }

  @Test
  void aChangedByteOrAnUnknownVersionDoesNotOpen() {
    byte[] ciphertext = cipher.encrypt("acme", "T", "value");
    for (int i = 0; i < ciphertext.length; i++) {
      byte[] changed = ciphertext.clone();
      changed[i] ^= 1;
      assertThatThrownBy(() -> cipher.decrypt("acme", "T", changed))
          .as("byte %d changed", i)
          .isInstanceOf(SecretUnreadableException.class);
    }
    assertThatThrownBy(() -> cipher.decrypt("acme", "T", new byte[3]))
        .isInstanceOf(SecretUnreadableException.class)
        .hasMessageContaining("format");
  }

  @Test
  void aKeyThatIsNotTheBase64Of32BytesStopsTheStartSayingHowToMakeOne() {
    String short16 = Base64.getEncoder().encodeToString(new byte[16]);
    for (String bad : new String[] {"not base64 at all!", short16, "c2VjcmV0"}) {
      assertThatThrownBy(() -> SecretCipher.fromEnvironment(Map.of("PODFLOW_SECRETS_KEY", bad)))
          .isInstanceOf(InvalidConfigurationException.class)
          .hasMessageContaining("PODFLOW_SECRETS_KEY")
          .hasMessageContaining("openssl rand -base64 32")
          .hasMessageNotContaining(bad);
    }
    assertThat(SecretCipher.fromEnvironment(Map.of())).isEmpty();
    assertThat(SecretCipher.fromEnvironment(Map.of("PODFLOW_SECRETS_KEY", "  "))).isEmpty();
    SecretCipher fromEnv =
        SecretCipher.fromEnvironment(Map.of("PODFLOW_SECRETS_KEY", " " + KEY + "\n")).orElseThrow();
    assertThat(fromEnv.decrypt("acme", "T", cipher.encrypt("acme", "T", "v"))).isEqualTo("v");
    assertThat(fromEnv.toString()).doesNotContain(KEY).contains("redacted");
  }
}
