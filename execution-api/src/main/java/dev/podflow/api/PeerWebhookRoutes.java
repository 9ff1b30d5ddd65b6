package dev.podflow.api;

import dev.podflow.api.auth.Access;
import dev.podflow.engine.suspension.Suspensions;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/a2a/{taskId}}: where an A2A peer pushes the changes of the task a Podflow
 * step delegated to it (the {@code a2a} step registers this URL, under {@code PODFLOW_PUBLIC_URL},
 * with a token of its own). Open to anyone, but the token in {@value #TOKEN_HEADER} is the
 * credential: only the current wait's token makes the waiting task due at once (204), and the task
 * then asks the peer itself ({@code tasks/get}), so the body is never trusted and not read. Any
 * other request — no such task, not waiting, a forged or replayed token — changes nothing and
 * answers 404 {@code webhook-not-found}.
 */
final class PeerWebhookRoutes {
  static final String WEBHOOK = "/webhooks/a2a/{taskId}";

  /** The header A2A 0.3 peers send a push notification's token in. */
  static final String TOKEN_HEADER = "X-A2A-Notification-Token";

  private static final Logger LOG = LoggerFactory.getLogger(PeerWebhookRoutes.class);

  private final Suspensions suspensions;

  PeerWebhookRoutes(Suspensions suspensions) {
    this.suspensions = suspensions;
  }

  void register(RoutesConfig routes) {
    routes.post(WEBHOOK, this::push, Access.OPEN);
  }

  private void push(Context ctx) {
    long taskId = QueryParams.id("the task id", "task", ctx.pathParam("taskId"));
    JsonBody.bytesWithin(ctx, BodyLimit.WEBHOOK);
    String token = ctx.header(TOKEN_HEADER);
    if (token == null || token.isBlank() || !suspensions.wake(taskId, token)) {
      LOG.debug("execution-api - a push for task {} woke nothing", taskId);
      throw new ProblemException(
          ProblemType.WEBHOOK_NOT_FOUND,
          "no task waits for a push with this token at this URL; nothing was changed");
    }
    LOG.info("execution-api - a peer's push woke task {}", taskId);
    NoContent.answer(ctx);
  }
}
