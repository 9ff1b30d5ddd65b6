package dev.podflow.notifier.fcm;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.firebase.ErrorCode;
import com.google.firebase.IncomingHttpResponse;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.MessagingErrorCode;
import dev.podflow.notifier.Outcome;
import dev.podflow.store.Json;
import java.time.Duration;
import java.util.List;

/**
 * What an FCM error means for a delivery, after FCM's error guide:
 *
 * <ul>
 *   <li>the token is dead: {@code UNREGISTERED}, {@code SENDER_ID_MISMATCH}, or an {@code
 *       INVALID_ARGUMENT} about the token itself (a {@code BadRequest} field violation on {@code
 *       message.token}, or FCM's "not a valid FCM registration token") → retire it;
 *   <li>any other {@code INVALID_ARGUMENT} is the message's fault, and so is a platform's missing
 *       credentials ({@code THIRD_PARTY_AUTH_ERROR}) → fail, retrying cannot help;
 *   <li>everything else ({@code UNAVAILABLE}, {@code INTERNAL}, {@code QUOTA_EXCEEDED}, timeouts
 *       and broken connections, an unexpected answer) → retry, no sooner than FCM's {@code
 *       Retry-After}.
 * </ul>
 */
final class FcmErrors {
  private static final String BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest";
  private static final int MAX_ERROR_LENGTH = 500;

  private FcmErrors() {}

  static Outcome outcome(FirebaseMessagingException e) {
    MessagingErrorCode code = e.getMessagingErrorCode();
    String error = describe(e);
    if (code == MessagingErrorCode.UNREGISTERED || code == MessagingErrorCode.SENDER_ID_MISMATCH) {
      return Outcome.retire(error);
    }
    if (code == MessagingErrorCode.INVALID_ARGUMENT
        || (code == null && e.getErrorCode() == ErrorCode.INVALID_ARGUMENT)) {
      return aboutTheToken(e) ? Outcome.retire(error) : Outcome.fail(error);
    }
    if (code == MessagingErrorCode.THIRD_PARTY_AUTH_ERROR) return Outcome.fail(error);
    return Outcome.retry(error, retryAfter(e.getHttpResponse()));
  }

  /** The code and FCM's message, short enough for {@code last_error}. */
  static String describe(Exception e) {
    String code =
        e instanceof FirebaseMessagingException fme
            ? (fme.getMessagingErrorCode() != null
                ? fme.getMessagingErrorCode().name()
                : fme.getErrorCode().name())
            : e.getClass().getSimpleName();
    String text = code + ": " + e.getMessage();
    return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH);
  }

  private static boolean aboutTheToken(FirebaseMessagingException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (message.contains("registration token")) return true;
    IncomingHttpResponse response = e.getHttpResponse();
    if (response == null || response.getContent() == null) return false;
    JsonNode details;
    try {
      details = Json.parse(response.getContent()).path("error").path("details");
    } catch (RuntimeException notJson) {
      return false;
    }
    for (JsonNode detail : details) {
      if (!BAD_REQUEST.equals(detail.path("@type").asText())) continue;
      for (JsonNode violation : detail.path("fieldViolations")) {
        if ("message.token".equals(violation.path("field").asText())) return true;
      }
    }
    return false;
  }

  /** FCM's {@code Retry-After} in seconds, or null when absent or a date. */
  private static Duration retryAfter(IncomingHttpResponse response) {
    if (response == null) return null;
    Object value = response.getHeaders().get("retry-after");
    if (value instanceof List<?> values && !values.isEmpty()) value = values.get(0);
    if (value == null) return null;
    try {
      return Duration.ofSeconds(Long.parseLong(value.toString().trim()));
    } catch (NumberFormatException date) {
      return null;
    }
  }
}
