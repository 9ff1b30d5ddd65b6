package dev.podflow.store.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One row of {@code audit_log} (V14) as a tenant reads it: who ({@code actor}: {@code key:<id>},
 * {@code jwt:<subject>}, {@code cli} or an internal caller's label) did what ({@code action}, an
 * {@link AuditAction}'s wire name) to which {@code subject} (a definition's {@code id@version}, an
 * agent's id, a key's id, an MCP server's or a secret's name) and when. {@code details} never holds
 * a secret.
 */
public record AuditEntry(
    long id, Instant at, String actor, String action, String subject, JsonNode details) {}
