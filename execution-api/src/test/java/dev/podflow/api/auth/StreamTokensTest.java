package dev.podflow.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podflow.store.auth.Role;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * A stream token names exactly the principal that minted it, for {@link StreamTokens#LIFETIME}, and
 * only under the key it was signed with; anything else about it is refused with a reason that never
 * repeats it.
 */
class StreamTokensTest {
  private static final Instant NOW = Instant.parse("2026-05-01T12:00:00.250Z");
  private static final Principal ADA = new Principal("acme", "ada", Role.OPERATOR, "key:pfk_x");
  private static final byte[] KEY = key(1);

  private static byte[] key(int fill) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) fill);
    return key;
  }

  private static StreamTokens at(Instant now) {
    return new StreamTokens(() -> KEY, Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void aTokenActsAsExactlyItsPrincipalUntilItExpires() {
    StreamTokens.Minted minted = at(NOW).mint(ADA);

    assertThat(minted.expiresAt()).isEqualTo(Instant.parse("2026-05-01T12:01:00Z"));
    assertThat(minted.token()).startsWith("pfs_").doesNotContain("ada", "acme");
    assertThat(minted.toString()).doesNotContain(minted.token());
    assertThat(at(NOW).verify(minted.token())).isEqualTo(ADA);
    assertThat(at(minted.expiresAt().minusMillis(1)).verify(minted.token())).isEqualTo(ADA);
    assertThatThrownBy(() -> at(minted.expiresAt()).verify(minted.token()))
        .isInstanceOf(InvalidCredentialsException.class)
        .hasMessage("stream token expired: ask POST /api/v1/stream-tokens for a new one");

    Principal keyOfNoOne = new Principal("acme", null, Role.ADMIN, "jwt:svc");
    assertThat(at(NOW).verify(at(NOW).mint(keyOfNoOne).token())).isEqualTo(keyOfNoOne);
  }

  @Test
  void anAlteredForeignOrMalformedTokenIsRefused() {
    String token = at(NOW).mint(ADA).token();
    int dot = token.lastIndexOf('.');
    String adminPayload =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("[\"acme\",\"ada\",\"admin\",\"key:pfk_x\",9999999999]".getBytes());
    String foreign =
        new StreamTokens(() -> key(2), Clock.fixed(NOW, ZoneOffset.UTC)).mint(ADA).token();

    for (String altered : new String[] {"pfs_" + adminPayload + token.substring(dot), foreign}) {
      assertThatThrownBy(() -> at(NOW).verify(altered))
          .isInstanceOf(InvalidCredentialsException.class)
          .hasMessageContaining("signature does not match")
          .hasMessageNotContaining(altered);
    }
    for (String malformed :
        new String[] {"", "pfs_", "pfk_abc.def", token.substring(0, dot), token + "!", "x.y"}) {
      assertThatThrownBy(() -> at(NOW).verify(malformed))
          .as(malformed)
          .isInstanceOf(InvalidCredentialsException.class)
          .hasMessageContaining("ask POST /api/v1/stream-tokens");
    }
  }
}
