package dev.podflow.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.definition.InvalidDefinitionException.Violation;
import dev.podflow.store.HotSql;
import dev.podflow.store.agent.AgentDao;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * One activity of a definition uploaded through the API, as its orchestrator checks what the config
 * names against stored data ({@link dev.podflow.engine.orchestrator.Orchestrator#checkUpload}):
 * agents, definitions and their versions, looked up inside the transaction that would store the
 * upload. Problems are reported with JSON Pointers relative to the config, as in {@link
 * ConfigCheck}; the config itself has passed {@link ConfigCheck} already. Made by {@link
 * DefinitionCatalog#upload}, one per activity; not thread-safe.
 *
 * <p>These are upload checks, not parser rules, because a stored definition must stay readable when
 * an agent is replaced later, and because {@link DefinitionCatalog#publish} (tests, the demo, the
 * chaos harness) stores definitions whose agents may not exist yet.
 */
public final class UploadCheck {
  private final Handle handle;
  private final DefinitionCatalog catalog;
  private final String tenantId;
  private final ProcessDefinition definition;
  private final Activity activity;
  private final String at;
  private final List<Violation> violations;

  UploadCheck(
      Handle handle,
      DefinitionCatalog catalog,
      String tenantId,
      ProcessDefinition definition,
      Activity activity,
      String at,
      List<Violation> violations) {
    this.handle = handle;
    this.catalog = catalog;
    this.tenantId = tenantId;
    this.definition = definition;
    this.activity = activity;
    this.at = at;
    this.violations = violations;
  }

  /**
   * The uploading tenant: the definition is stored in it, and every name it holds (agents,
   * sub-process definitions) is looked up there, never in another tenant.
   */
  public String tenantId() {
    return tenantId;
  }

  /** The uploaded definition; it becomes the latest version of its id if the upload passes. */
  public ProcessDefinition definition() {
    return definition;
  }

  public Activity activity() {
    return activity;
  }

  public JsonNode config() {
    return activity.config();
  }

  /** Records a problem at {@code pointer}, relative to the config ({@code "/field/…"}). */
  public void violation(String pointer, String message) {
    violations.add(new Violation(at + pointer, message));
  }

  /** Whether the uploading tenant has an agent profile with this id. */
  public boolean agentExists(String agentId) {
    return handle.attach(AgentDao.class).agentGet(tenantId, agentId).isPresent();
  }

  /**
   * The agent {@code value} names (at {@code pointer}) must exist in the uploading tenant; a value
   * that is not text was reported by the config check and is skipped here.
   */
  public void knownAgent(String pointer, JsonNode value) {
    if (value == null || !value.isTextual()) return;
    if (!agentExists(value.asText())) {
      violation(
          pointer,
          "names unknown agent '" + value.asText() + "'; create it with POST /api/v1/agents");
    }
  }

  /** The latest stored version of the uploading tenant's definition, if it has any. */
  public Optional<Integer> latestVersion(String definitionId) {
    return Optional.ofNullable(HotSql.latestDefinitionVersion(handle, tenantId, definitionId));
  }

  /**
   * A stored definition of the uploading tenant: that version, or the latest when {@code version}
   * is null; empty when there is none (or it cannot be read, so nothing runs there).
   */
  public Optional<ProcessDefinition> stored(String definitionId, Integer version) {
    try {
      return Optional.of(
          (version == null
                  ? catalog.latest(handle, tenantId, definitionId)
                  : catalog.get(handle, tenantId, definitionId, version))
              .definition());
    } catch (DefinitionNotFoundException | InvalidDefinitionException e) {
      return Optional.empty();
    }
  }
}
