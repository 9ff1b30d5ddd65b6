package dev.podflow.api;

import static dev.podflow.api.ApiClient.assertProblem;
import static dev.podflow.api.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Database;
import dev.podflow.store.auth.Role;
import dev.podflow.testing.PodflowDatabaseExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /api/v1/processes}: the filters, each alone and together, and what an item holds. (The
 * paging is {@link PaginationTest}'s, who sees what {@link TenantVisibilityTest}'s.)
 */
@ExtendWith(PodflowDatabaseExtension.class)
class ProcessListTest {
  private static final Instant T1 = Instant.parse("2025-03-01T10:00:00Z");
  private static final Instant T2 = Instant.parse("2025-03-01T11:00:00Z");
  private static final Instant T3 = Instant.parse("2025-03-01T12:00:00Z");
  private static final Instant T4 = Instant.parse("2025-03-01T13:00:00Z");

  private Database db;
  private ExecutionApi api;
  private ApiClient operator;
  private String a1;
  private String a2;
  private String b3;
  private String b4;

  @BeforeEach
  void start(Database db) {
    this.db = db;
    api =
        ExecutionApi.start(
            db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.onPort(0));
    operator = new ApiClient(api.port(), ApiClient.issueKey(db, "default", Role.OPERATOR, null));
    db.jdbi()
        .useHandle(
            h ->
                h.execute(
                    "INSERT INTO proc_def (tenant_id, id, version, name, definition)"
                        + " VALUES ('default', 'a', 1, 'A', '{}'), ('default', 'b', 1, 'B', '{}')"));
    a1 = instance("a", "RUNNING", "ann", T1);
    a2 = instance("a", "ERROR", "bob", T2);
    b3 = instance("b", "COMPLETED", "ann", T3);
    b4 = instance("b", "ERROR", "ann", T4);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void eachFilterAloneAndTogether() {
    assertThat(ids("")).containsExactly(b4, b3, a2, a1);
    assertThat(ids("status=ERROR")).containsExactly(b4, a2);
    assertThat(ids("status=WAITING")).isEmpty();
    assertThat(ids("definitionId=a")).containsExactly(a2, a1);
    assertThat(ids("definitionId=none")).isEmpty();
    assertThat(ids("initiator=ann")).containsExactly(b4, b3, a1);
    assertThat(ids("createdAfter=2025-03-01T11:00:00Z"))
        .as("strictly after")
        .containsExactly(b4, b3);
    assertThat(ids("createdBefore=2025-03-01T12:00:00Z"))
        .as("strictly before")
        .containsExactly(a2, a1);
    assertThat(ids("createdAfter=2025-03-01T10:00:00Z&createdBefore=2025-03-01T13:00:00Z"))
        .containsExactly(b3, a2);
    assertThat(ids("createdAfter=2025-03-01T12:30:00%2B02:00"))
        .as("an offset")
        .containsExactly(b4, b3, a2);
    assertThat(ids("status=ERROR&initiator=ann")).containsExactly(b4);
    assertThat(ids("status=ERROR&definitionId=a&initiator=bob&createdBefore=2025-03-01T12:00:00Z"))
        .containsExactly(a2);
  }

  @Test
  void anItemSummarizesTheInstance() {
    JsonNode item = list("status=COMPLETED").get("processes").get(0);
    List<String> fields = new ArrayList<>();
    item.fieldNames().forEachRemaining(fields::add);
    assertThat(fields)
        .containsExactly(
            "id",
            "definitionId",
            "definitionVersion",
            "status",
            "initiator",
            "createdAt",
            "updatedAt",
            "finishedAt");
    assertThat(item.get("id").asText()).isEqualTo(b3);
    assertThat(item.get("definitionId").asText()).isEqualTo("b");
    assertThat(item.get("definitionVersion").asInt()).isEqualTo(1);
    assertThat(item.get("initiator").asText()).isEqualTo("ann");
    assertThat(item.get("createdAt").asText()).isEqualTo("2025-03-01T12:00:00Z");
    assertThat(item.get("finishedAt").isNull()).isTrue();
  }

  @Test
  void badFiltersAre400() {
    JsonNode status =
        assertProblem(operator.get("/api/v1/processes?status=running"), 400, "invalid-request");
    assertThat(status.get("detail").asText())
        .contains("status", "[RUNNING, WAITING, COMPLETED, ERROR, CANCELLED]");
    for (String query :
        List.of("createdAfter=yesterday", "createdBefore=2025-03-01", "createdAfter=")) {
      JsonNode problem =
          assertProblem(operator.get("/api/v1/processes?" + query), 400, "invalid-request");
      assertThat(problem.get("detail").asText()).as(query).contains("ISO-8601");
    }
    assertProblem(operator.get("/api/v1/processes?initiator="), 400, "invalid-request");
    assertProblem(operator.get("/api/v1/processes?definitionId=%20"), 400, "invalid-request");
  }

  private JsonNode list(String query) {
    HttpResponse<String> response = operator.get("/api/v1/processes?" + query);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  private List<String> ids(String query) {
    JsonNode page = list(query);
    assertThat(page.get("next").isNull()).isTrue();
    List<String> ids = new ArrayList<>();
    page.get("processes").forEach(p -> ids.add(p.get("id").asText()));
    return ids;
  }

  private String instance(String definitionId, String status, String initiator, Instant createdAt) {
    UUID id = UUID.randomUUID();
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate(
                        "INSERT INTO bpm_proc_inst (id, proc_def_id, proc_def_version, status,"
                            + " initiator, created_at) VALUES (:id, :definitionId, 1, :status,"
                            + " :initiator, :createdAt)")
                    .bind("id", id)
                    .bind("definitionId", definitionId)
                    .bind("status", status)
                    .bind("initiator", initiator)
                    .bind("createdAt", createdAt)
                    .execute());
    return id.toString();
  }
}
