package dev.podflow.engine.instance;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request to start a process.
 *
 * @param definitionId runs the latest version of this definition
 * @param input the process input, an object
 * @param idempotencyKey optional; the same key returns the same instance
 * @param initiator optional; who asked
 * @param tenantId the tenant, {@code default} until tenants exist
 */
public record StartCommand(
    String definitionId, JsonNode input, String idempotencyKey, String initiator, String tenantId) {

  public static final String DEFAULT_TENANT = "default";
}
