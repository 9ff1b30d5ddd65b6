package dev.podflow.store.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.instance.InstanceStatus;
import java.time.Instant;
import java.util.UUID;

/**
 * A push a caller of the A2A server is owed: its webhook, its token, and the process as it stands
 * now ({@code a2a_push_configs}, V22). Immutable.
 *
 * @param waitingStep the activity of a step waiting for a person's answer, or null
 * @param attempts attempts of this delivery, this one included
 */
public record DuePush(
    long id,
    String url,
    String token,
    UUID procInstId,
    InstanceStatus status,
    JsonNode output,
    Instant finishedAt,
    String waitingStep,
    int attempts) {}
