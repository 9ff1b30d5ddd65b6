package dev.podflow.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.instance.InstanceStatus;
import dev.podflow.store.instance.NewInstance;
import dev.podflow.store.instance.ProcessInstance;
import dev.podflow.store.instance.ProcessInstanceMapper;
import dev.podflow.store.task.ClaimedRow;
import dev.podflow.store.task.CompletedRow;
import dev.podflow.store.task.NewTask;
import dev.podflow.store.task.TaskMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The statements of the hot path — claims, completions, queued successors, settling, starts — on
 * plain JDBC statements of the handle's connection, with their SQL in {@code HotSql/*.sql}. The
 * rest of the store goes through jdbi SqlObject DAOs; these statements run several times per task,
 * and jdbi's per-statement work (attaching a DAO, copying its configuration, binding through
 * argument factories) was most of a pod's CPU at high rates (profiled with JFR). Rows are read by
 * the same hand-written mappers the DAOs use ({@link TaskMapper}, {@link ProcessInstanceMapper}),
 * called directly with no statement context. Stateless and thread-safe.
 *
 * <p>Failures surface as jdbi's {@link UnableToExecuteStatementException}, as from the DAOs.
 */
public final class HotSql {
  /** The most tasks one claim takes: a pod's slots at most. */
  public static final int MAX_CLAIM = 256;

  /** The claim with its {@code :limit} still a parameter; never run as it is. */
  private static final NamedSql CLAIM_TEMPLATE = NamedSql.load(HotSql.class, "taskClaim");

  /**
   * The claim with each limit written in (see {@code taskClaim.sql}), made on first use: for tasks
   * of any orchestrator, and for tasks of given orchestrators.
   */
  private static final NamedSql[] CLAIMS_ANY = new NamedSql[MAX_CLAIM + 1];

  private static final NamedSql[] CLAIMS_OF = new NamedSql[MAX_CLAIM + 1];

  private static final String[] NO_ORCHESTRATORS = new String[0];

  private static final NamedSql COMPLETE = NamedSql.load(HotSql.class, "taskComplete");
  private static final NamedSql INSERT_QUEUED = NamedSql.load(HotSql.class, "taskInsertQueued");
  private static final NamedSql SETTLE = NamedSql.load(HotSql.class, "instanceSettle");
  private static final NamedSql INSERT_STARTED =
      NamedSql.load(HotSql.class, "instanceInsertStarted");
  private static final NamedSql LATEST_VERSION =
      NamedSql.load(HotSql.class, "definitionLatestVersion");

  private HotSql() {}

  /**
   * Claims up to {@code limit} due tasks for {@code podId}, most urgent first, with their
   * instances: tasks of the given orchestrators, or of any when {@code orchestrators} is empty. Run
   * it outside a transaction: the claim commits on its own, asynchronously.
   */
  public static List<ClaimedRow> claim(
      Handle h, String podId, double leaseSeconds, int limit, List<String> orchestrators) {
    NamedSql claim = claimStatement(limit, orchestrators.isEmpty());
    try (NamedSql.Bound st = claim.prepare(h.getConnection())) {
      st.text("podId", podId)
          .decimal("leaseSeconds", leaseSeconds)
          .array(
              "orchestrators",
              "text",
              orchestrators.isEmpty() ? NO_ORCHESTRATORS : orchestrators.toArray(String[]::new));
      List<ClaimedRow> claimed = new ArrayList<>(limit);
      try (ResultSet rs = st.statement.executeQuery()) {
        while (rs.next()) {
          claimed.add(
              new ClaimedRow(
                  TaskMapper.INSTANCE.map(rs, null), ProcessInstanceMapper.CLAIMED.map(rs, null)));
        }
      }
      return claimed;
    } catch (SQLException e) {
      throw failed(claim, e);
    }
  }

  private static NamedSql claimStatement(int limit, boolean anyOrchestrator) {
    if (limit < 1 || limit > MAX_CLAIM) {
      throw new IllegalArgumentException(
          "a claim takes 1 to " + MAX_CLAIM + " tasks, not " + limit);
    }
    NamedSql[] claims = anyOrchestrator ? CLAIMS_ANY : CLAIMS_OF;
    synchronized (claims) {
      if (claims[limit] == null) {
        claims[limit] =
            CLAIM_TEMPLATE
                .withNumberWrittenIn("limit", limit)
                .withBooleanWrittenIn("anyOrchestrator", anyOrchestrator);
      }
      return claims[limit];
    }
  }

  /** One claimed task to complete: the claim and the output. */
  public record Completion(long id, UUID claimToken, JsonNode output) {}

  /**
   * Marks claimed tasks DONE, locks their instances and writes their {@code task_completed} events
   * ({@code activityId}, {@code attempt}, {@code output}), in one statement of the caller's
   * transaction. Returns a row per task completed, in task id order; a task whose claim is gone is
   * missing and nothing of it was written.
   */
  public static List<CompletedRow> complete(Handle h, List<Completion> completions) {
    int n = completions.size();
    Long[] ids = new Long[n];
    UUID[] tokens = new UUID[n];
    String[] outputs = new String[n];
    for (int k = 0; k < n; k++) {
      Completion c = completions.get(k);
      ids[k] = c.id();
      tokens[k] = c.claimToken();
      outputs[k] = Json.write(c.output());
    }
    try (NamedSql.Bound st = COMPLETE.prepare(h.getConnection())) {
      st.array("ids", "bigint", ids)
          .array("claimTokens", "uuid", tokens)
          .array("outputs", "text", outputs);
      List<CompletedRow> done = new ArrayList<>(n);
      try (ResultSet rs = st.statement.executeQuery()) {
        while (rs.next()) {
          done.add(
              new CompletedRow(
                  rs.getLong("task_id"), ProcessInstanceMapper.INSTANCE.map(rs, null)));
        }
      }
      return done;
    } catch (SQLException e) {
      throw failed(COMPLETE, e);
    }
  }

  /** Enqueues a task with its {@code task_queued} event; returns the task's id. */
  public static long insertQueued(Handle h, NewTask task) {
    try (NamedSql.Bound st = INSERT_QUEUED.prepare(h.getConnection())) {
      st.uuid("procInstId", task.procInstId())
          .text("activityId", task.activityId())
          .text("orchestrator", task.orchestrator())
          .number("priority", task.priority())
          .number("maxAttempts", task.maxAttempts())
          .json("input", task.input() == null ? null : Json.write(task.input()))
          .nullableNumber("parentTaskId", task.parentTaskId())
          .number("pass", task.pass());
      try (ResultSet rs = st.statement.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw failed(INSERT_QUEUED, e);
    }
  }

  /**
   * Settles locked, unfinished instances after some of their tasks changed, each with its output
   * should it complete (parallel lists); returns the status each settled on. See {@code
   * instanceSettle.sql}.
   */
  public static Map<UUID, InstanceStatus> settle(Handle h, List<UUID> ids, List<JsonNode> outputs) {
    String[] texts = new String[outputs.size()];
    for (int k = 0; k < texts.length; k++) {
      texts[k] = outputs.get(k) == null ? null : Json.write(outputs.get(k));
    }
    try (NamedSql.Bound st = SETTLE.prepare(h.getConnection())) {
      st.array("ids", "uuid", ids.toArray(UUID[]::new)).array("outputs", "text", texts);
      Map<UUID, InstanceStatus> settled = new HashMap<>();
      try (ResultSet rs = st.statement.executeQuery()) {
        while (rs.next()) {
          settled.put(
              rs.getObject("id", UUID.class), InstanceStatus.valueOf(rs.getString("status")));
        }
      }
      return settled;
    } catch (SQLException e) {
      throw failed(SETTLE, e);
    }
  }

  /** The latest version number of a tenant's definition, or null when it has none there. */
  public static Integer latestDefinitionVersion(Handle h, String tenantId, String id) {
    try (NamedSql.Bound st = LATEST_VERSION.prepare(h.getConnection())) {
      st.text("tenantId", tenantId).text("id", id);
      try (ResultSet rs = st.statement.executeQuery()) {
        rs.next();
        int version = rs.getInt(1);
        return rs.wasNull() ? null : version;
      }
    } catch (SQLException e) {
      throw failed(LATEST_VERSION, e);
    }
  }

  /**
   * Inserts a started instance with its {@code process_started} event; empty (nothing written) when
   * its idempotency key already names an instance.
   */
  public static Optional<ProcessInstance> insertStarted(
      Handle h, NewInstance instance, JsonNode payload) {
    try (NamedSql.Bound st = INSERT_STARTED.prepare(h.getConnection())) {
      st.uuid("id", instance.id())
          .text("procDefId", instance.procDefId())
          .number("procDefVersion", instance.procDefVersion())
          .json("input", instance.input() == null ? null : Json.write(instance.input()))
          .text("initiator", instance.initiator())
          .text("tenantId", instance.tenantId())
          .text("idempotencyKey", instance.idempotencyKey())
          .nullableNumber("parentTaskId", instance.parentTaskId())
          .json("payload", Json.write(payload));
      try (ResultSet rs = st.statement.executeQuery()) {
        return rs.next()
            ? Optional.of(ProcessInstanceMapper.INSTANCE.map(rs, null))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw failed(INSERT_STARTED, e);
    }
  }

  private static UnableToExecuteStatementException failed(NamedSql sql, SQLException e) {
    return new UnableToExecuteStatementException(
        "hot-path statement failed: " + e.getMessage() + " [" + sql.jdbcSql() + "]", e, null);
  }
}
