package dev.podflow.api;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.Function;
import java.util.zip.CRC32;

/**
 * A position in a list ({@link Page}): the {@code created_at} and the key (the tie-break: an id, or
 * a definition's version) of the last item a page held. Clients get it as {@code next}, an opaque
 * string, and send it back as {@code cursor}: base64url of a checksum, the list's name, the instant
 * and the key. {@link #decode} takes only what {@link #encode} writes for the same list, so a
 * cursor that was cut, changed or taken from another list is refused rather than read as some other
 * position. The checksum is no secret: a forged position grants nothing, since every page applies
 * the request's filters and what the caller may see.
 */
record Cursor<K>(Instant createdAt, K key) {
  private static final String SEPARATOR = "\n";
  private static final int CHECKSUM_LENGTH = 8;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  String encode(String list) {
    String body = list + SEPARATOR + createdAt + SEPARATOR + key;
    return ENCODER.encodeToString((checksum(body) + body).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The position {@code raw} names in {@code list}, its key read by {@code parseKey}; a 400 unless
   * {@code raw} is exactly what {@link #encode} wrote for that list.
   *
   * @param parseKey reads a key from its text; throws {@link IllegalArgumentException} on any other
   */
  static <K> Cursor<K> decode(String list, String raw, Function<String, K> parseKey) {
    Cursor<K> cursor = read(list, raw, parseKey);
    if (cursor == null || !cursor.encode(list).equals(raw)) {
      throw new InvalidRequestException(
          "cursor is not one the list of "
              + list
              + " gave out (it was cut or changed, or is another list's); start again without"
              + " cursor, then pass each page's next as it is");
    }
    return cursor;
  }

  /** The position {@code raw} names, or null when it names none in {@code list}. */
  private static <K> Cursor<K> read(String list, String raw, Function<String, K> parseKey) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8);
      if (text.length() < CHECKSUM_LENGTH) return null;
      String body = text.substring(CHECKSUM_LENGTH);
      String[] parts = body.split(SEPARATOR, 3);
      if (!text.startsWith(checksum(body)) || parts.length != 3 || !parts[0].equals(list)) {
        return null;
      }
      return new Cursor<>(Instant.parse(parts[1]), parseKey.apply(parts[2]));
    } catch (IllegalArgumentException | DateTimeException e) {
      return null;
    }
  }

  private static String checksum(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().toHexDigits((int) crc.getValue());
  }
}
