package dev.podflow.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.instance.InstanceDao;
import dev.podflow.store.instance.InstanceStatus;
import dev.podflow.store.instance.ProcessInstance;
import dev.podflow.store.task.ClaimedRow;
import dev.podflow.store.task.NewTask;
import dev.podflow.store.task.TaskDao;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/**
 * The statements of the hot path — claim, completion, queued successors, settling, starts — run
 * through jdbi's fluent API instead of an attached SqlObject DAO. Same SQL files as {@link TaskDao}
 * and {@link InstanceDao} (read once); the difference is the cost of {@code Handle.attach}, which
 * builds a handler for every method of the DAO each time: several attaches per task were most of a
 * pod's CPU at high rates (profiled with JFR). Stateless and thread-safe.
 */
public final class HotSql {
  private static final ClasspathSqlLocator LOCATOR = ClasspathSqlLocator.removingComments();
  private static final String CLAIM = LOCATOR.locate(TaskDao.class, "taskClaimNextWithInstance");
  private static final String COMPLETE = LOCATOR.locate(TaskDao.class, "taskCompleteLockInstance");
  private static final String INSERT_QUEUED = LOCATOR.locate(TaskDao.class, "taskInsertQueued");
  private static final String SETTLE = LOCATOR.locate(InstanceDao.class, "instanceSettle");
  private static final String INSERT_STARTED =
      LOCATOR.locate(InstanceDao.class, "instanceInsertStarted");
  private static final RowMapper<ClaimedRow> CLAIMED = new ClaimedRow.Mapper();
  private static final RowMapper<ProcessInstance> INSTANCE =
      ConstructorMapper.of(ProcessInstance.class);

  private HotSql() {}

  /** {@link TaskDao#taskClaimNextWithInstance}. */
  public static Optional<ClaimedRow> claimNextWithInstance(
      Handle h, String podId, double leaseSeconds) {
    return h.createQuery(CLAIM)
        .bind("podId", podId)
        .bind("leaseSeconds", leaseSeconds)
        .map(CLAIMED)
        .findOne();
  }

  /** {@link TaskDao#taskCompleteLockInstance}. */
  public static Optional<ProcessInstance> completeLockInstance(
      Handle h, long id, UUID claimToken, JsonNode output, JsonNode payload) {
    return h.createQuery(COMPLETE)
        .bind("id", id)
        .bind("claimToken", claimToken)
        .bindByType("output", output, JsonNode.class)
        .bindByType("payload", payload, JsonNode.class)
        .map(INSTANCE)
        .findOne();
  }

  /** {@link TaskDao#taskInsertQueued}. */
  public static long insertQueued(Handle h, NewTask task) {
    return h.createQuery(INSERT_QUEUED).bindMethods(task).mapTo(Long.class).one();
  }

  /** {@link InstanceDao#instanceSettle}. */
  public static InstanceStatus settle(Handle h, UUID id, JsonNode output) {
    return h.createQuery(SETTLE)
        .bind("id", id)
        .bindByType("output", output, JsonNode.class)
        .mapTo(InstanceStatus.class)
        .one();
  }

  /** The latest version number of a definition, or null when there is none. */
  public static Integer latestDefinitionVersion(Handle h, String id) {
    return h.createQuery("SELECT max(version) FROM proc_def WHERE id = :id")
        .bind("id", id)
        .mapTo(Integer.class)
        .one();
  }

  /** {@link InstanceDao#instanceInsertStarted}. */
  public static Optional<ProcessInstance> insertStarted(
      Handle h, dev.podflow.store.instance.NewInstance instance, JsonNode payload) {
    return h.createQuery(INSERT_STARTED)
        .bindMethods(instance)
        .bindByType("payload", payload, JsonNode.class)
        .map(INSTANCE)
        .findOne();
  }
}
