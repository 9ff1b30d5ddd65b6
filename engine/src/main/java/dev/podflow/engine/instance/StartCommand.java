package dev.podflow.engine.instance;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request to start a process.
 *
 * @param definitionId runs the latest version of this definition
 * @param input the process input, an object
 * @param idempotencyKey optional; the same key returns the same instance
 * @param initiator optional; who asked
 * @param tenantId the tenant the instance belongs to
 * @param by who asked, for the {@code process_started} event: the API's principal ({@code key:<id>}
 *     or {@code jwt:<subject>}); null for a start the engine makes itself (a sub-process) or a
 *     caller with no principal (tests, the bench)
 */
public record StartCommand(
    String definitionId,
    JsonNode input,
    String idempotencyKey,
    String initiator,
    String tenantId,
    String by) {

  public static final String DEFAULT_TENANT = "default";
}
