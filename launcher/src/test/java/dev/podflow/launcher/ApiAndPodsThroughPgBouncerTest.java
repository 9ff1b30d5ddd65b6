package dev.podflow.launcher;

import static dev.podflow.launcher.ApiCalls.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.api.ApiSettings;
import dev.podflow.api.ExecutionApi;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.pod.AgentPod;
import dev.podflow.pod.PodConfig;
import dev.podflow.store.Database;
import dev.podflow.store.InvalidConfigurationException;
import dev.podflow.store.Json;
import dev.podflow.store.access.DatabaseRole;
import dev.podflow.store.auth.ApiKeys;
import dev.podflow.store.auth.Role;
import dev.podflow.testing.EventLog;
import dev.podflow.testing.Eventually;
import dev.podflow.testing.PgBouncer;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 17's connection budget, end to end: the API's request pool and the pods' pools go through a
 * real PgBouncer in transaction mode, few server sessions shared by two tenants' requests. Every
 * process started over HTTP is drained with each task done exactly once, each tenant sees its own
 * processes only, and no tenant or isolation level stays behind on a server session.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class ApiAndPodsThroughPgBouncerTest {
  private static final int SERVER_SESSIONS = 3;
  private static final int PODS = 2;
  private static final int SLOTS = 2;
  private static final int PROCESSES_PER_TENANT = 60;
  private static final List<String> TENANTS = List.of("acme", "globex");

  private final List<AutoCloseable> running = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : running.reversed()) c.close();
  }

  @Test
  void tenantsStartProcessesThroughPgBouncerAndPodsDrainEachTaskOnce(TestDatabase testDb)
      throws Exception {
    PgBouncer bouncer = PgBouncer.start(testDb, SERVER_SESSIONS);
    running.add(bouncer);
    Database apiDatabase = Database.connect(bouncer.config("podflow_api", 8, "pgb-api"));
    running.add(apiDatabase);
    ExecutionApi api =
        ExecutionApi.start(
            apiDatabase,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            ApiSettings.onPort(0));
    running.add(api);
    for (int i = 0; i < PODS; i++) {
      Database pool =
          Database.connect(
              bouncer.config("podflow_pod", SLOTS + 2, "pod-pgb-" + i).withRole(DatabaseRole.POD));
      running.add(pool);
      pool.checkRole();
      AgentPod pod =
          new AgentPod(
                  PodConfig.defaults("pgb-" + i).withSlots(SLOTS),
                  pool,
                  OrchestratorRegistry.discover(),
                  new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
              .start();
      running.add(pod::stop);
    }
    ApiCalls http = new ApiCalls(api.port());
    ApiKeys keys = new ApiKeys(testDb.database().jdbi(), Clock.systemUTC());
    Map<String, String> adminKeys = new ConcurrentHashMap<>();
    for (String tenant : TENANTS) {
      adminKeys.put(tenant, keys.create(tenant, Role.ADMIN, null, null, "test").wholeKey());
      expect(
          201,
          http.send(
              adminKeys.get(tenant),
              "POST",
              "/api/v1/definitions",
              """
              {"id":"two-steps","name":"Two steps","activities":[
                {"id":"first","orchestrator":"noop"},{"id":"second","orchestrator":"noop"}]}"""));
    }

    Map<String, Set<String>> started = new ConcurrentHashMap<>();
    TENANTS.forEach(tenant -> started.put(tenant, ConcurrentHashMap.newKeySet()));
    IntStream.range(0, PROCESSES_PER_TENANT * TENANTS.size())
        .parallel()
        .forEach(
            i -> {
              String tenant = TENANTS.get(i % TENANTS.size());
              String body =
                  Json.object()
                      .put("definitionId", "two-steps")
                      .set("input", Json.object().put("n", i))
                      .toString();
              JsonNode process =
                  expect(201, http.send(adminKeys.get(tenant), "POST", "/api/v1/processes", body));
              started.get(tenant).add(process.path("id").asText());
            });
    int total = PROCESSES_PER_TENANT * TENANTS.size();
    Eventually.await(
        Duration.ofSeconds(60),
        total + " processes completed",
        () ->
            count(testDb, "SELECT count(*) FROM bpm_proc_inst WHERE status = 'COMPLETED'")
                == total);

    assertThat(count(testDb, "SELECT count(*) FROM todolist")).isEqualTo(2L * total);
    assertThat(count(testDb, "SELECT count(*) FROM todolist WHERE status <> 'DONE'")).isZero();
    assertThat(count(testDb, "SELECT count(*) FROM todolist WHERE attempts <> 1"))
        .as("no task claimed twice")
        .isZero();
    EventLog events = new EventLog(testDb);
    assertThat(events.tasksWithoutExactlyOne("task_completed")).isZero();
    assertThat(events.count("process_completed")).isEqualTo(total);

    for (String tenant : TENANTS) {
      JsonNode list =
          expect(200, http.send(adminKeys.get(tenant), "GET", "/api/v1/processes?limit=500", null));
      Set<String> listed = new HashSet<>(list.path("processes").findValuesAsText("id"));
      assertThat(listed)
          .as("%s lists its own processes, all of them", tenant)
          .isEqualTo(started.get(tenant));
      String other = TENANTS.get((TENANTS.indexOf(tenant) + 1) % TENANTS.size());
      for (String id : started.get(tenant).stream().limit(10).toList()) {
        JsonNode process =
            expect(200, http.send(adminKeys.get(tenant), "GET", "/api/v1/processes/" + id, null));
        assertThat(process.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(process.path("tasks")).hasSize(2);
        expect(404, http.send(adminKeys.get(other), "GET", "/api/v1/processes/" + id, null));
      }
    }

    Map<String, String> stats = bouncer.show("SHOW STATS", "podflow_api");
    assertThat(Long.parseLong(stats.get("total_xact_count")))
        .as("the API's requests went through PgBouncer")
        .isGreaterThanOrEqualTo(total);
    for (String database : List.of("podflow_api", "podflow_pod")) {
      Map<String, String> pools = bouncer.show("SHOW POOLS", database);
      long serverSessions =
          Stream.of("sv_active", "sv_idle", "sv_used", "sv_tested", "sv_login")
              .mapToLong(column -> Long.parseLong(pools.get(column)))
              .sum();
      assertThat(serverSessions)
          .as(database + "'s server sessions")
          .isBetween(1L, (long) SERVER_SESSIONS);
    }
    assertNothingLeftOnTheServerSessions(bouncer, testDb);
  }

  /**
   * Every server session of the API's entry, taken at once, acts for no tenant (sees no process)
   * and runs at the default isolation: what a request set ended with its transaction.
   */
  private static void assertNothingLeftOnTheServerSessions(PgBouncer bouncer, TestDatabase testDb)
      throws Exception {
    var url = bouncer.config("podflow_api", 1, "probe").jdbcUrl();
    Properties props = new Properties();
    props.setProperty("user", testDb.config().user());
    if (testDb.config().password() != null) {
      props.setProperty("password", testDb.config().password());
    }
    props.setProperty("prepareThreshold", "0");
    List<Connection> clients = new ArrayList<>();
    try {
      for (int i = 0; i < SERVER_SESSIONS; i++) {
        Connection c = DriverManager.getConnection(url, props);
        clients.add(c);
        // Open transactions pin one server session each, so the probes cover all of them.
        c.setAutoCommit(false);
        try (Statement st = c.createStatement();
            ResultSet rs =
                st.executeQuery(
                    "SELECT coalesce(current_setting('podflow.tenant', true), ''),"
                        + " current_setting('transaction_isolation'),"
                        + " (SELECT count(*) FROM bpm_proc_inst), pg_backend_pid()")) {
          rs.next();
          assertThat(rs.getString(1)).as("tenant left on a server session").isEmpty();
          assertThat(rs.getString(2)).isEqualTo("read committed");
          assertThat(rs.getLong(3)).as("processes seen with no tenant").isZero();
        }
      }
    } finally {
      for (Connection c : clients) c.close();
    }
  }

  @Test
  void anApiWhosePoolerEntryActsAsAnotherRoleStopsAtStartAndSaysSo(TestDatabase testDb) {
    try (PgBouncer bouncer = PgBouncer.start(testDb, 2);
        Database wrongEntry = Database.connect(bouncer.config("podflow_pod", 2, "pgb-wrong"))) {
      assertThatThrownBy(
              () ->
                  ExecutionApi.start(
                      wrongEntry,
                      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                      ApiSettings.onPort(0)))
          .isInstanceOf(InvalidConfigurationException.class)
          .hasMessageContaining("act as podflow_pod, not podflow_api")
          .hasMessageContaining("connect_query='SET ROLE podflow_api'");
    }
  }

  private static long count(TestDatabase testDb, String sql) {
    return testDb.database().jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }
}
