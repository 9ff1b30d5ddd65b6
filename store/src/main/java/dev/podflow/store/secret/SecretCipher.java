package dev.podflow.store.secret;

import dev.podflow.store.Environment;
import dev.podflow.store.InvalidConfigurationException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens the values of the tenant secret store ({@code tenant_secrets}) with AES-256-GCM
 * under the key in {@value #KEY_VARIABLE}: the base64 of 32 random bytes, made with {@code openssl
 * rand -base64 32}, checked once when the cipher is made.
 *
 * <p>A sealed value (what {@code tenant_secrets.ciphertext} holds) is one version byte ({@value
 * #VERSION}), a random 12-byte nonce (fresh for every encryption), then the ciphertext and its
 * 16-byte tag. The associated data is the tenant id, a NUL and the secret's name, so a ciphertext
 * copied to another tenant or another name does not decrypt, and neither does one changed in any
 * byte.
 *
 * <p>The API encrypts what {@code PUT /api/v1/secrets/{name}} receives; pods decrypt a secret when
 * a tool call references it ({@link SecretDao#secretValue}). Both must be given the same key.
 * Thread-safe: each call takes its own {@link Cipher}. {@link #toString} never shows the key.
 */
public final class SecretCipher {
  /** The environment variable holding the key. */
  public static final String KEY_VARIABLE = "PODFLOW_SECRETS_KEY";

  /** The format of what {@link #encrypt} returns; the first byte of every sealed value. */
  public static final byte VERSION = 1;

  private static final String HOW_TO_MAKE_ONE = "make one with `openssl rand -base64 32`";
  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  private SecretCipher(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  /**
   * The cipher of {@value #KEY_VARIABLE}, or empty when it is unset or blank (the API then refuses
   * to store secrets, and pods cannot read them).
   *
   * @throws InvalidConfigurationException when it is set but not the base64 of 32 bytes
   */
  public static Optional<SecretCipher> fromEnvironment(Map<String, String> variables) {
    String base64 = new Environment(variables).text(KEY_VARIABLE);
    return base64 == null ? Optional.empty() : Optional.of(fromBase64Key(base64));
  }

  /**
   * The cipher of a key given as the base64 of 32 bytes, as {@code openssl rand -base64 32} prints
   * it (surrounding white space is ignored).
   *
   * @throws InvalidConfigurationException naming {@value #KEY_VARIABLE} and how to make a key; the
   *     message never repeats the value given
   */
  public static SecretCipher fromBase64Key(String base64) {
    if (base64 == null || base64.isBlank()) {
      throw new InvalidConfigurationException(
          KEY_VARIABLE + " is empty; it must be the base64 of 32 random bytes: " + HOW_TO_MAKE_ONE);
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationException(
          KEY_VARIABLE
              + " is not base64; it must be the base64 of 32 random bytes (an AES-256 key): "
              + HOW_TO_MAKE_ONE);
    }
    try {
      if (key.length != KEY_BYTES) {
        throw new InvalidConfigurationException(
            KEY_VARIABLE
                + " decodes to "
                + key.length
                + " bytes; it must be the base64 of exactly 32 random bytes (an AES-256 key): "
                + HOW_TO_MAKE_ONE);
      }
      return new SecretCipher(key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * Seals {@code value} as the secret {@code name} of {@code tenantId}: {@link #VERSION}, a fresh
   * nonce, the ciphertext and its tag. Only {@link #decrypt} with the same key, tenant and name
   * opens it.
   */
  public byte[] encrypt(String tenantId, String name, String value) {
    Objects.requireNonNull(value, "value");
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] plain = value.getBytes(StandardCharsets.UTF_8);
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData(tenantId, name));
      ByteBuffer out = ByteBuffer.allocate(1 + NONCE_BYTES + cipher.getOutputSize(plain.length));
      out.put(VERSION).put(nonce);
      cipher.doFinal(ByteBuffer.wrap(plain), out);
      return Arrays.copyOf(out.array(), out.position());
    } catch (GeneralSecurityException e) {
      // AES-GCM is in every JDK; this is a broken runtime, not a bad secret.
      throw new IllegalStateException("AES-GCM is unavailable: " + e, e);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /**
   * Opens what {@link #encrypt} sealed for {@code tenantId} and {@code name}.
   *
   * @throws SecretUnreadableException when it was sealed under another key, for another tenant or
   *     name, in an unknown format, or was changed; the message names the tenant and the secret
   */
  public String decrypt(String tenantId, String name, byte[] ciphertext) {
    Objects.requireNonNull(ciphertext, "ciphertext");
    if (ciphertext.length < 1 + NONCE_BYTES + TAG_BITS / 8 || ciphertext[0] != VERSION) {
      throw new SecretUnreadableException(
          "the secret "
              + name
              + " of tenant "
              + tenantId
              + " is not in a format this Podflow reads (version "
              + (ciphertext.length == 0 ? "none" : Byte.toString(ciphertext[0]))
              + "); store it again with PUT /api/v1/secrets/"
              + name);
    }
    byte[] plain = null;
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(
          Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, ciphertext, 1, NONCE_BYTES));
      cipher.updateAAD(associatedData(tenantId, name));
      plain = cipher.doFinal(ciphertext, 1 + NONCE_BYTES, ciphertext.length - 1 - NONCE_BYTES);
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(plain))
          .toString();
    } catch (AEADBadTagException e) {
      throw new SecretUnreadableException(
          "the secret "
              + name
              + " of tenant "
              + tenantId
              + " does not decrypt with "
              + KEY_VARIABLE
              + ": it was stored under another key, or for another tenant or name; store it again"
              + " with PUT /api/v1/secrets/"
              + name);
    } catch (CharacterCodingException e) {
      throw new SecretUnreadableException(
          "the secret "
              + name
              + " of tenant "
              + tenantId
              + " decrypts to bytes that are not UTF-8");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable: " + e, e);
    } finally {
      if (plain != null) Arrays.fill(plain, (byte) 0);
    }
  }

  /** The tenant id, a NUL and the name, in UTF-8: what binds a ciphertext to its row. */
  private static byte[] associatedData(String tenantId, String name) {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(name, "name");
    return (tenantId + "\0" + name).getBytes(StandardCharsets.UTF_8);
  }

  /** Never the key: settings get logged. */
  @Override
  public String toString() {
    return "SecretCipher[AES-256-GCM, key=<redacted>]";
  }
}
