package dev.podflow.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.api.auth.Access;
import dev.podflow.api.auth.AuthGuard;
import dev.podflow.api.auth.Principal;
import dev.podflow.engine.instance.InstanceCommands;
import dev.podflow.engine.instance.InstanceState;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/processes/{id}/cancel} and {@code …/retry}: commands on a whole instance,
 * answered with the instance as {@code GET /api/v1/processes/{id}} shows it, as the command left
 * it. They take no parameters: the body may be absent (no {@code Content-Type} needed), or a JSON
 * {@code {}}.
 */
final class ProcessCommandRoutes {
  static final String CANCEL = ProcessRoutes.PROCESS + "/cancel";
  static final String RETRY = ProcessRoutes.PROCESS + "/retry";

  private static final Logger LOG = LoggerFactory.getLogger(ProcessCommandRoutes.class);

  private final Jdbi jdbi;
  private final InstanceCommands commands;

  ProcessCommandRoutes(Jdbi jdbi, InstanceCommands commands) {
    this.jdbi = jdbi;
    this.commands = commands;
  }

  void register(RoutesConfig routes) {
    routes.post(CANCEL, this::cancel, Access.OPERATOR);
    routes.post(RETRY, this::retry, Access.OPERATOR);
  }

  private void cancel(Context ctx) {
    UUID id = visibleProcessId(ctx);
    requireNoParameters(ctx);
    InstanceState state = commands.cancel(id, AuthGuard.principal(ctx).actor());
    LOG.info(
        "execution-api - cancelled process {} and {} of its tasks",
        id,
        state.changedTaskIds().size());
    ctx.json(ProcessRoutes.ProcessView.of(state.instance(), state.tasks()));
  }

  private void retry(Context ctx) {
    UUID id = visibleProcessId(ctx);
    requireNoParameters(ctx);
    InstanceState state = commands.retry(id, AuthGuard.principal(ctx).actor());
    LOG.info(
        "execution-api - retrying process {}: tasks {} queued again", id, state.changedTaskIds());
    ctx.json(ProcessRoutes.ProcessView.of(state.instance(), state.tasks()));
  }

  /** The instance the path names, when the caller may see it (its tenant never changes). */
  private UUID visibleProcessId(Context ctx) {
    UUID id = ProcessRoutes.processId(ctx);
    Principal principal = AuthGuard.principal(ctx);
    jdbi.useHandle(h -> Visibility.instance(h, id, principal));
    return id;
  }

  /**
   * An absent or blank body is fine whatever the headers say; anything else must be the JSON object
   * {@code {}}, with a JSON content type. Either way the route's {@link BodyLimit} holds.
   */
  private static void requireNoParameters(Context ctx) {
    JsonBody.bytesWithin(ctx, BodyLimit.COMMAND);
    if (ctx.body().isBlank()) return;
    ObjectNode body = JsonBody.object(ctx, BodyLimit.COMMAND);
    if (!body.isEmpty()) {
      throw new InvalidRequestException(
          "/"
              + body.fieldNames().next()
              + " is not a known field; this command takes no parameters (send no body or {})");
    }
  }
}
