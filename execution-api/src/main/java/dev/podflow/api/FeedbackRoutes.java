package dev.podflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.api.auth.Access;
import dev.podflow.api.auth.AccessDeniedException;
import dev.podflow.api.auth.AuthGuard;
import dev.podflow.api.auth.Principal;
import dev.podflow.engine.definition.Activity;
import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.store.agent.AgentDao;
import dev.podflow.store.auth.Role;
import dev.podflow.store.instance.InstanceDao;
import dev.podflow.store.instance.ProcessInstance;
import dev.podflow.store.memory.FeedbackDao;
import dev.podflow.store.memory.MemoryDao;
import dev.podflow.store.task.Task;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/tasks/{id}/feedback} (issue 15): rates a task's result (1..5) and, with a
 * non-blank {@code correction}, teaches the task's agent (its step's {@code config.agent}) a {@code
 * feedback} memory in the same transaction: a {@code user}'s shapes only that user's runs, an
 * operator's or admin's the whole agent's. The agent's memories themselves are {@link
 * MemoryRoutes}'.
 */
final class FeedbackRoutes {
  static final String FEEDBACK = TaskRoutes.TASKS + "/{id}/feedback";

  private static final Set<String> FEEDBACK_FIELDS = Set.of("rating", "correction");
  private static final int CONTENT_LIMIT = MemoryRoutes.CONTENT_LIMIT;
  private static final Logger LOG = LoggerFactory.getLogger(FeedbackRoutes.class);

  private final Jdbi jdbi;
  private final DefinitionCatalog catalog;

  FeedbackRoutes(Jdbi jdbi, DefinitionCatalog catalog) {
    this.jdbi = jdbi;
    this.catalog = catalog;
  }

  /** The answer to feedback: its id, and the memory its correction became ({@code null}: none). */
  record FeedbackView(long id, long taskId, int rating, Long memoryId) {}

  void register(RoutesConfig routes) {
    routes.post(FEEDBACK, this::feedback, Access.USER);
  }

  private void feedback(Context ctx) {
    long taskId = QueryParams.id("the task id", "task", ctx.pathParam("id"));
    Principal principal = AuthGuard.principal(ctx);
    boolean everyUser = principal.role().includes(Role.OPERATOR);
    if (!everyUser && principal.user() == null) {
      throw new AccessDeniedException(
          "this credential acts for no user, so its feedback would belong to nobody; use a user's"
              + " credential, or an operator's to correct the whole agent");
    }
    // Whether the task is the caller's is answered before its body is read.
    jdbi.useHandle(h -> Visibility.taskToRate(h, taskId, principal));
    ObjectNode body = JsonBody.object(ctx, BodyLimit.MEMORY);
    List<Problems.FieldError> errors = new ArrayList<>();
    for (Iterator<String> fields = body.fieldNames(); fields.hasNext(); ) {
      String field = fields.next();
      if (!FEEDBACK_FIELDS.contains(field)) {
        errors.add(
            new Problems.FieldError(
                "/" + field, "is not a known field; known: [correction, rating]"));
      }
    }
    JsonNode ratingNode = body.get("rating");
    if (ratingNode == null || !ratingNode.isIntegralNumber()) {
      errors.add(new Problems.FieldError("/rating", "is required: an integer from 1 to 5"));
    } else if (ratingNode.asLong() < 1 || ratingNode.asLong() > 5) {
      errors.add(new Problems.FieldError("/rating", "must be from 1 to 5"));
    }
    JsonNode correctionNode = body.get("correction");
    String correction = null;
    if (correctionNode != null && !correctionNode.isNull()) {
      if (!correctionNode.isTextual()) {
        errors.add(new Problems.FieldError("/correction", "must be a string"));
      } else if (correctionNode.asText().length() > CONTENT_LIMIT) {
        errors.add(
            new Problems.FieldError(
                "/correction", "must be at most " + CONTENT_LIMIT + " characters"));
      } else if (!correctionNode.asText().isBlank()) {
        correction = correctionNode.asText().strip();
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidBodyException(ProblemType.INVALID_FEEDBACK, "feedback", errors);
    }
    int rating = ratingNode.asInt();
    String text = correction;
    String tenantId = principal.tenantId();
    FeedbackView stored =
        jdbi.inTransaction(
            h -> {
              Task task = Visibility.taskToRate(h, taskId, principal);
              Long memoryId = null;
              if (text != null) {
                String agentId = agentOf(h, task, tenantId);
                memoryId =
                    h.attach(MemoryDao.class)
                        .memoryInsert(
                            tenantId,
                            agentId,
                            everyUser ? null : principal.user(),
                            null,
                            "feedback",
                            text,
                            taskId,
                            principal.actor());
              }
              String by = principal.user() != null ? principal.user() : principal.actor();
              long id =
                  h.attach(FeedbackDao.class)
                      .feedbackInsert(tenantId, taskId, by, rating, text, memoryId);
              return new FeedbackView(id, taskId, rating, memoryId);
            });
    LOG.info(
        "execution-api - feedback {} on task {} of tenant {} (rating {}, memory {})",
        stored.id(),
        taskId,
        tenantId,
        rating,
        stored.memoryId());
    ctx.status(HttpStatus.CREATED).json(stored);
  }

  /**
   * The agent the task's step runs as: its activity's {@code config.agent} in the definition
   * version the instance runs; a 422 on {@code /correction} when the step names none.
   */
  private String agentOf(Handle h, Task task, String tenantId) {
    ProcessInstance instance =
        h.attach(InstanceDao.class).instanceGet(task.procInstId()).orElseThrow();
    JsonNode agent =
        catalog
            .get(h, tenantId, instance.procDefId(), instance.procDefVersion())
            .definition()
            .activity(task.activityId())
            .map(Activity::config)
            .map(config -> config.get("agent"))
            .orElse(null);
    if (agent == null || !agent.isTextual() || agent.asText().isBlank()) {
      throw new InvalidBodyException(
          ProblemType.INVALID_FEEDBACK,
          "feedback",
          "/correction",
          "task "
              + task.id()
              + "'s step '"
              + task.activityId()
              + "' runs no agent (its config names no agent), so a correction has no agent to"
              + " teach; send the rating alone");
    }
    String agentId = agent.asText();
    if (h.attach(AgentDao.class).agentGet(tenantId, agentId).isEmpty()) {
      throw new InvalidBodyException(
          ProblemType.INVALID_FEEDBACK,
          "feedback",
          "/correction",
          "task "
              + task.id()
              + "'s agent '"
              + agentId
              + "' no longer exists, so a correction has no agent to teach; send the rating alone");
    }
    return agentId;
  }
}
