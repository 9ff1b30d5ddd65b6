package dev.podflow.store.a2a;

import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The webhooks callers of the A2A server gave their tasks ({@code a2a_push_configs}, V22): the API
 * stores them for its tenant; pods claim the due deliveries of every tenant and settle them. A jdbi
 * SQL object; SQL in {@code PushConfigDao/*.sql}.
 */
public interface PushConfigDao {

  /** Stores (or replaces the token of) the webhook {@code url} of a process. */
  @SqlUpdate
  void pushConfigPut(
      @Bind("tenantId") String tenantId,
      @Bind("procInstId") UUID procInstId,
      @Bind("url") String url,
      @Bind("token") String token);

  /**
   * Up to {@code limit} webhooks whose process's A2A state differs from the last one delivered,
   * each claimed for a minute and counted as an attempt, with the process as it stands.
   */
  @SqlQuery
  List<DuePush> pushClaimDue(@Bind("limit") int limit);

  /** The process was delivered in {@code state}. */
  @SqlUpdate
  void pushDelivered(@Bind("id") long id, @Bind("state") String state);

  /** The delivery failed; try again in {@code delaySeconds}. */
  @SqlUpdate
  void pushRetry(
      @Bind("id") long id, @Bind("error") String error, @Bind("delaySeconds") int delaySeconds);
}
