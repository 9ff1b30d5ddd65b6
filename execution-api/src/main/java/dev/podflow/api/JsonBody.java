package dev.podflow.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.store.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a request body that must be one JSON object: without a JSON {@code Content-Type} the
 * request is refused (415) before the body is read, and so is a body over its route's {@link
 * BodyLimit} (413); unparsable JSON, duplicate keys, trailing content and non-object bodies are
 * refused (400), and so is JSON that PostgreSQL cannot store (422, {@link StorableJson}). Every
 * route that takes a body reads it here.
 *
 * <p>Hostile shapes are refused while parsing, before a tree is built: nesting deeper than {@value
 * #MAX_DEPTH} levels (a deep array costs the parser's and every later walker's stack), strings
 * longer than {@value #MAX_STRING_CHARS} characters (a document's text excepted, {@link
 * BodyLimit#maxStringChars}) and keys longer than {@value #MAX_KEY_CHARS} (the most the store's own
 * reader takes back: a longer one was stored, then failed the read-back as a 500); numbers longer
 * than Jackson's default 1,000 digits were refused already.
 */
final class JsonBody {
  /**
   * {@code application/json} and structured-syntax types such as {@code
   * application/merge-patch+json}.
   */
  private static final Pattern JSON_MEDIA_TYPE =
      Pattern.compile("application/(?:[a-z0-9!#$&^_.+-]+\\+)?json");

  static final int MAX_DEPTH = 64;
  static final int MAX_STRING_CHARS = 200_000;
  static final int MAX_KEY_CHARS = StreamReadConstraints.DEFAULT_MAX_NAME_LEN;

  /** A parser factory per route limit: they differ in the longest string they take. */
  private static final Map<BodyLimit, JsonFactory> FACTORIES = new EnumMap<>(BodyLimit.class);

  static {
    for (BodyLimit limit : BodyLimit.values()) {
      FACTORIES.put(
          limit,
          JsonFactory.builder()
              .streamReadConstraints(
                  StreamReadConstraints.builder()
                      .maxNestingDepth(MAX_DEPTH)
                      .maxStringLength(limit.maxStringChars())
                      .maxNameLength(MAX_KEY_CHARS)
                      .build())
              .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
              .build());
    }
  }

  private static final ObjectReader READER = Json.MAPPER.reader();

  private JsonBody() {}

  static ObjectNode object(Context ctx, BodyLimit limit) {
    requireJsonContentType(ctx.header("Content-Type"));
    byte[] body = bytesWithin(ctx, limit);
    JsonNode json;
    try (JsonParser parser = FACTORIES.get(limit).createParser(body)) {
      json = READER.readTree(parser);
      if (json != null && parser.nextToken() != null) {
        throw new MalformedJsonException(
            "the request body holds more than one JSON value" + where(parser.currentLocation()),
            null);
      }
    } catch (StreamConstraintsException e) {
      throw new InvalidRequestException(
          "the request body nests deeper than "
              + MAX_DEPTH
              + " levels, or holds a string longer than "
              + limit.maxStringChars()
              + " or a key longer than "
              + MAX_KEY_CHARS
              + " characters"
              + where(e.getLocation()));
    } catch (JsonProcessingException e) {
      throw new MalformedJsonException(
          "the request body is not valid JSON: " + e.getOriginalMessage() + where(e.getLocation()),
          e);
    } catch (IOException e) {
      throw new MalformedJsonException("the request body could not be read: " + e.getMessage(), e);
    }
    if (json == null || json.isMissingNode()) {
      throw new InvalidRequestException("the request body is empty; send a JSON object");
    }
    if (!json.isObject()) {
      throw new InvalidRequestException(
          "the request body must be a JSON object, not " + article(json.getNodeType().name()));
    }
    StorableJson.require(json);
    return (ObjectNode) json;
  }

  /**
   * The body's bytes, refused when over the route's limit: first by its declared length, before a
   * byte is read; then, for a body sent in chunks, by what was read. Routes that look at a body
   * before parsing it (a command's may be blank) call this first.
   */
  static byte[] bytesWithin(Context ctx, BodyLimit limit) {
    requireWithin(limit, ctx.contentLength());
    byte[] body = ctx.bodyAsBytes();
    requireWithin(limit, body.length);
    return body;
  }

  private static void requireWithin(BodyLimit limit, long bytes) {
    if (bytes > limit.maxBytes()) {
      throw new RequestTooLargeException(
          "the request body is larger than the " + limit.maxBytes() + " bytes this route accepts");
    }
  }

  private static void requireJsonContentType(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      throw new UnsupportedMediaTypeException(
          "the request has no Content-Type; send the JSON body with Content-Type: application/json");
    }
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!JSON_MEDIA_TYPE.matcher(mediaType).matches()) {
      throw new UnsupportedMediaTypeException(
          "Content-Type "
              + Problems.echo(contentType)
              + " is not JSON; send the body with Content-Type: application/json");
    }
  }

  private static String where(JsonLocation location) {
    return location == null || location.getLineNr() < 1
        ? ""
        : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  private static String article(String nodeType) {
    String type = nodeType.toLowerCase(Locale.ROOT);
    return ("aeiou".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type;
  }
}
