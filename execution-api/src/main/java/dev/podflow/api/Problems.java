package dev.podflow.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.podflow.api.auth.AccessDeniedException;
import dev.podflow.api.auth.InvalidCredentialsException;
import dev.podflow.engine.definition.DefinitionNotFoundException;
import dev.podflow.engine.definition.InvalidDefinitionException;
import dev.podflow.engine.form.FormSchema;
import dev.podflow.engine.instance.IdempotencyKeyReusedException;
import dev.podflow.engine.instance.InvalidProcessInputException;
import dev.podflow.engine.instance.ProcessNotCancellableException;
import dev.podflow.engine.instance.ProcessNotFoundException;
import dev.podflow.engine.instance.ProcessNotRetryableException;
import dev.podflow.engine.suspension.FormViolationException;
import dev.podflow.engine.suspension.TaskNotFoundException;
import dev.podflow.engine.suspension.TaskNotWaitingException;
import dev.podflow.store.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.net.URI;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.List;
import org.eclipse.jetty.http.HttpException;
import org.jdbi.v3.core.ConnectionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures meet HTTP: every exception a handler throws, and every request
 * Javalin cannot route, becomes an RFC 9457 {@code application/problem+json} response. Client
 * errors are logged at debug without a stack trace; unexpected ones at error with it, and the
 * response then says nothing about the cause.
 */
final class Problems {
  static final String CONTENT_TYPE = "application/problem+json";

  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  static final URI ABOUT_BLANK = URI.create("about:blank");
  private static final int ECHO_LIMIT = 80;

  /**
   * The problem document. {@code errors} appears only for invalid definitions, answers, process
   * inputs and agents, and for bodies holding values that cannot be stored. {@code instance}, the
   * request's path, is left out only when Jetty refused a request before its path was known.
   */
  record Problem(
      URI type,
      String title,
      int status,
      String detail,
      @JsonInclude(JsonInclude.Include.NON_NULL) String instance,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<FieldError> errors) {}

  /** One rejected field: a JSON Pointer into the request body and what is wrong there. */
  record FieldError(String pointer, String detail) {}

  private Problems() {}

  static void register(RoutesConfig routes) {
    // Javalin maps its own HttpResponseException (404/405 for unrouted requests, 413) itself
    // unless a handler is registered for exactly that class.
    routes.exception(HttpResponseException.class, Problems::handle);
    routes.exception(Exception.class, Problems::handle);
  }

  private static void handle(Exception e, Context ctx) {
    try {
      answer(e, ctx);
    } catch (RuntimeException gone) {
      // Only when the request itself is gone (the server stopped under a finishing stream).
      // This handler must not throw: Javalin would hand that exception back to it, forever.
      LOG.debug("execution-api - no answer possible for {}: {}", e, gone.toString());
    }
  }

  private static void answer(Exception e, Context ctx) {
    Problem problem = describe(e, ctx);
    if (problem.type().equals(ProblemType.INTERNAL_ERROR.type())) {
      LOG.error("execution-api - {} {} failed", ctx.method(), ctx.path(), e);
    } else if (problem.status() >= 500) {
      LOG.warn("execution-api - {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
    } else {
      LOG.debug(
          "execution-api - {} {} rejected ({}): {}",
          ctx.method(),
          ctx.path(),
          problem.status(),
          problem.detail());
    }
    if (problem.status() == 401) {
      // RFC 6750: the error code only when a credential was sent.
      ctx.header(
          "WWW-Authenticate",
          ctx.header("Authorization") == null
              ? "Bearer realm=\"podflow\""
              : "Bearer realm=\"podflow\", error=\"invalid_token\"");
    }
    if (e instanceof HttpResponseException http && http.getStatus() == 405) {
      String methods = http.getDetails().get("availableMethods");
      if (methods != null) ctx.header("Allow", methods);
    }
    ctx.status(problem.status()).contentType(CONTENT_TYPE).result(Json.write(problem));
  }

  /** A problem listing {@code errors}: "{@code subject} has N problem(s){@code against}; …". */
  private static Problem counted(
      ProblemType type, String subject, String against, List<FieldError> errors, Context ctx) {
    return new Problem(
        type.type(),
        type.title(),
        type.status(),
        subject
            + " has "
            + errors.size()
            + (errors.size() == 1 ? " problem" : " problems")
            + against
            + "; each entry of errors points at one",
        ctx.path(),
        errors);
  }

  /** Schema violations of a document found at {@code pointer} in the request body. */
  private static List<FieldError> under(String pointer, List<FormSchema.Violation> violations) {
    return violations.stream()
        .map(v -> new FieldError(pointer + v.pointer(), v.message()))
        .toList();
  }

  static Problem describe(Exception e, Context ctx) {
    return switch (e) {
      case InvalidDefinitionException invalid ->
          counted(
              ProblemType.INVALID_DEFINITION,
              "the definition",
              "",
              invalid.violations().stream()
                  .map(v -> new FieldError(v.pointer(), v.message()))
                  .toList(),
              ctx);
      case InvalidBodyException invalid ->
          new Problem(
              invalid.type().type(),
              invalid.type().title(),
              invalid.type().status(),
              invalid.summary() + "; each entry of errors points at one",
              ctx.path(),
              invalid.errors());
      case UnstorableJsonException unstorable ->
          new Problem(
              ProblemType.UNSTORABLE_JSON.type(),
              ProblemType.UNSTORABLE_JSON.title(),
              ProblemType.UNSTORABLE_JSON.status(),
              unstorable.getMessage() + "; each entry of errors points at one",
              ctx.path(),
              unstorable.errors());
      case ProblemException refused -> problem(refused.type(), refused.getMessage(), ctx);
      case FormViolationException violation ->
          counted(
              ProblemType.INVALID_TASK_OUTPUT,
              "the output",
              " against the task's form",
              under("/output", violation.violations()),
              ctx);
      case InvalidProcessInputException misfit ->
          counted(
              ProblemType.INVALID_PROCESS_INPUT,
              "the input",
              " against the definition's inputSchema",
              under("/input", misfit.violations()),
              ctx);
      case TaskNotFoundException missing ->
          problem(ProblemType.TASK_NOT_FOUND, missing.getMessage(), ctx);
      case TaskNotWaitingException notWaiting ->
          problem(ProblemType.TASK_NOT_WAITING, notWaiting.getMessage(), ctx);
      // A definition named in a request body that does not exist makes the body unprocessable;
      // one named in the URL is a missing resource.
      case DefinitionNotFoundException missing when ctx.method() == HandlerType.POST ->
          problem(ProblemType.UNKNOWN_DEFINITION, missing.getMessage(), ctx);
      case DefinitionNotFoundException missing ->
          problem(ProblemType.DEFINITION_NOT_FOUND, missing.getMessage(), ctx);
      case ProcessNotFoundException missing ->
          problem(ProblemType.PROCESS_NOT_FOUND, missing.getMessage(), ctx);
      case IdempotencyKeyReusedException reused ->
          problem(ProblemType.IDEMPOTENCY_KEY_REUSED, reused.getMessage(), ctx);
      case ProcessNotCancellableException finished ->
          problem(ProblemType.PROCESS_NOT_CANCELLABLE, finished.getMessage(), ctx);
      case ProcessNotRetryableException notFailed ->
          problem(ProblemType.PROCESS_NOT_RETRYABLE, notFailed.getMessage(), ctx);
      case InvalidCredentialsException invalid ->
          problem(ProblemType.UNAUTHENTICATED, invalid.getMessage(), ctx);
      case AccessDeniedException denied -> problem(ProblemType.FORBIDDEN, denied.getMessage(), ctx);
      case MalformedJsonException malformed ->
          problem(ProblemType.MALFORMED_JSON, malformed.getMessage(), ctx);
      case InvalidRequestException invalid ->
          problem(ProblemType.INVALID_REQUEST, invalid.getMessage(), ctx);
      case RequestTooLargeException tooLarge ->
          problem(ProblemType.REQUEST_TOO_LARGE, tooLarge.getMessage(), ctx);
      case UnsupportedMediaTypeException unsupported ->
          problem(ProblemType.UNSUPPORTED_MEDIA_TYPE, unsupported.getMessage(), ctx);
      case NotReadyException notReady -> problem(ProblemType.NOT_READY, notReady.getMessage(), ctx);
      // Javalin decodes a text body with the Content-Type's charset, which the client names.
      case IllegalCharsetNameException badName -> unknownCharset(ctx);
      case UnsupportedCharsetException unsupported -> unknownCharset(ctx);
      case ConnectionException unreachable ->
          problem(
              ProblemType.DATABASE_UNAVAILABLE, "the database cannot be reached; retry later", ctx);
      case HttpResponseException http -> fromJavalin(http, ctx);
      // Jetty's own, thrown into a handler: a body over the limit fails its read.
      case HttpException jetty ->
          JettyErrors.problem(jetty.getCode(), jetty.getReason(), ctx.path());
      default ->
          problem(
              ProblemType.INTERNAL_ERROR,
              "the server failed to handle the request; the error was logged",
              ctx);
    };
  }

  private static Problem unknownCharset(Context ctx) {
    return problem(
        ProblemType.UNSUPPORTED_MEDIA_TYPE,
        "Content-Type "
            + echo(String.valueOf(ctx.header("Content-Type")))
            + " names a charset this API does not know; send the body as UTF-8 with"
            + " Content-Type: application/json",
        ctx);
  }

  private static Problem fromJavalin(HttpResponseException e, Context ctx) {
    return switch (e.getStatus()) {
      case 404 ->
          problem(
              ProblemType.ROUTE_NOT_FOUND,
              "no route matches " + ctx.method() + " " + ctx.path(),
              ctx);
      case 405 ->
          problem(
              ProblemType.METHOD_NOT_ALLOWED,
              ctx.method() + " is not allowed on " + ctx.path() + allowed(e),
              ctx);
      case 413 -> JettyErrors.problem(413, e.getMessage(), ctx.path());
      default -> {
        HttpStatus status = HttpStatus.forStatus(e.getStatus());
        yield new Problem(
            ABOUT_BLANK, status.getMessage(), e.getStatus(), e.getMessage(), ctx.path(), null);
      }
    };
  }

  private static String allowed(HttpResponseException e) {
    String methods = e.getDetails().get("availableMethods");
    return methods == null ? "" : "; allowed: " + methods;
  }

  /** Client input quoted in a detail, cut short so a huge header or id cannot bloat the answer. */
  static String echo(String raw) {
    String text = raw.length() <= ECHO_LIMIT ? raw : raw.substring(0, ECHO_LIMIT) + "…";
    return "'" + text + "'";
  }

  private static Problem problem(ProblemType type, String detail, Context ctx) {
    return new Problem(type.type(), type.title(), type.status(), detail, ctx.path(), null);
  }
}
