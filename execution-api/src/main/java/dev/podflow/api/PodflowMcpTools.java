package dev.podflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.api.auth.Principal;
import dev.podflow.engine.instance.StartResult;
import dev.podflow.store.Json;
import dev.podflow.store.PodflowException;
import dev.podflow.store.access.TenantScope;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tools {@link McpEndpoint} offers, each the same work as an API route, done for the caller of
 * the MCP message: {@code list_definitions} ({@code GET /api/v1/definitions}), {@code
 * get_definition} ({@code GET /api/v1/definitions/{id}}), {@code start_process} ({@code POST
 * /api/v1/processes}), {@code get_process} ({@code GET /api/v1/processes/{id}}), {@code
 * list_process_events} ({@code GET …/{id}/events}), {@code list_my_tasks} ({@code GET
 * /api/v1/tasks?status=WAITING}) and {@code complete_task} ({@code POST
 * /api/v1/tasks/{id}/complete}). A tool answers the route's JSON as structured content and as text;
 * what the route refuses (a 4xx) comes back as a tool error ({@code isError}) with the same detail,
 * so the model can correct itself.
 */
final class PodflowMcpTools {
  private static final Logger LOG = LoggerFactory.getLogger(PodflowMcpTools.class);

  private static final String PAGING =
      """
      "limit": {"type": "integer", "minimum": 1, "maximum": 500, "description": "Items a page (50)."},
      "cursor": {"type": "string", "description": "The previous page's next, for the page after it."}""";
  private static final String PROCESS_ID =
      """
      "processId": {"type": "string", "format": "uuid", "description": "The process instance's id."}""";

  private final DefinitionRoutes definitions;
  private final ProcessRoutes processes;
  private final EventRoutes events;
  private final TaskRoutes tasks;

  PodflowMcpTools(
      DefinitionRoutes definitions, ProcessRoutes processes, EventRoutes events, TaskRoutes tasks) {
    this.definitions = definitions;
    this.processes = processes;
    this.events = events;
    this.tasks = tasks;
  }

  List<SyncToolSpecification> specifications() {
    return List.of(
        tool(
            "list_definitions",
            "List the process definitions this caller may start, newest first, each in its latest"
                + " version.",
            "{" + PAGING + "}",
            List.of(),
            (principal, args) ->
                definitions.list(
                    principal,
                    Page.of("definitions", text(args, "limit"), text(args, "cursor"), k -> k))),
        tool(
            "get_definition",
            "Read a process definition: its steps and, when it has one, the JSON Schema its input"
                + " must fit (inputSchema), which start_process checks.",
            """
            {"definitionId": {"type": "string", "description": "The definition to read."},
             "version": {"type": "integer", "minimum": 1, "description": "A version; the latest when absent."}}""",
            List.of("definitionId"),
            (principal, args) ->
                definitions.view(principal, text(args, "definitionId"), text(args, "version"))),
        tool(
            "start_process",
            "Start a process: the latest version of a definition, with an input object. With an"
                + " idempotencyKey a repeated call answers the process the first one started.",
            """
            {"definitionId": {"type": "string", "description": "The definition to start."},
             "input": {"type": "object", "description": "The process input."},
             "idempotencyKey": {"type": "string", "maxLength": 200}}""",
            List.of("definitionId"),
            (principal, args) -> {
              ObjectNode body = Json.object();
              body.set("definitionId", args.get("definitionId"));
              if (args.has("input")) body.set("input", args.get("input"));
              StartResult result = processes.start(body, text(args, "idempotencyKey"), principal);
              ObjectNode started = Json.object();
              started.put("id", result.instance().id().toString());
              started.put("status", result.instance().status().name());
              started.put("created", result.created());
              return started;
            }),
        tool(
            "get_process",
            "Read a process instance: its status, input, output and tasks.",
            "{" + PROCESS_ID + "}",
            List.of("processId"),
            (principal, args) ->
                processes.view(ProcessRoutes.processId(text(args, "processId")), principal)),
        tool(
            "list_process_events",
            "Read a process instance's events, oldest first: what ran, what each step produced,"
                + " tool calls, failures. Ask again with after = the last event id for more.",
            "{"
                + PROCESS_ID
                + """
                ,
                "after": {"type": "integer", "minimum": 0, "description": "An event id; 0 from the start."},
                "limit": {"type": "integer", "minimum": 1, "maximum": 1000}}""",
            List.of("processId"),
            (principal, args) ->
                events.page(
                    ProcessRoutes.processId(text(args, "processId")),
                    QueryParams.id("after", "event", text(args, "after")),
                    QueryParams.limit(
                        text(args, "limit"), EventRoutes.DEFAULT_LIMIT, EventRoutes.MAX_LIMIT),
                    principal)),
        tool(
            "list_my_tasks",
            "List the tasks waiting for this caller (for an operator: for anyone), newest first:"
                + " forms to fill in, questions of agents, tool calls to approve.",
            "{" + PAGING + "}",
            List.of(),
            (principal, args) ->
                tasks.inbox(
                    principal,
                    null,
                    Page.of("tasks", text(args, "limit"), text(args, "cursor"), Long::valueOf))),
        tool(
            "complete_task",
            "Answer a task waiting for a person with an output that fits its form; for an"
                + " approval, {\"approve\": true} or {\"approve\": false, \"reason\": \"…\"}.",
            """
            {"taskId": {"type": "integer", "minimum": 1},
             "output": {"type": "object", "description": "The answer."}}""",
            List.of("taskId", "output"),
            (principal, args) -> {
              ObjectNode body = Json.object();
              body.set("output", args.get("output"));
              return tasks.complete(
                  QueryParams.id("taskId", "task", text(args, "taskId")), body, principal);
            }));
  }

  /**
   * A tool whose input schema has {@code properties} (the members of a JSON object, in braces) and
   * {@code required}; {@code work} answers what becomes its structured content.
   */
  private static SyncToolSpecification tool(
      String name,
      String description,
      String properties,
      List<String> required,
      BiFunction<Principal, ObjectNode, Object> work) {
    ObjectNode schema = Json.object();
    schema.put("type", "object");
    schema.set("properties", Json.parse(properties));
    schema.set("required", Json.MAPPER.valueToTree(required));
    schema.put("additionalProperties", false);
    McpSchema.Tool tool =
        McpSchema.Tool.builder()
            .name(name)
            .description(description)
            .inputSchema(Json.MAPPER.convertValue(schema, McpSchema.JsonSchema.class))
            .build();
    return new SyncToolSpecification(
        tool, (context, request) -> call(name, work, context, request));
  }

  private static McpSchema.CallToolResult call(
      String name,
      BiFunction<Principal, ObjectNode, Object> work,
      McpTransportContext context,
      McpSchema.CallToolRequest request) {
    Principal principal = (Principal) context.get(McpEndpoint.PRINCIPAL);
    ObjectNode args =
        request.arguments() == null ? Json.object() : Json.MAPPER.valueToTree(request.arguments());
    try {
      // Bound here, not by the request's thread: the API's queries see the caller's tenant only.
      JsonNode result =
          Json.MAPPER.valueToTree(
              TenantScope.call(principal.tenantId(), () -> work.apply(principal, args)));
      return McpSchema.CallToolResult.builder()
          .structuredContent(Json.MAPPER.convertValue(result, Map.class))
          .addTextContent(Json.write(result))
          .build();
    } catch (PodflowException refused) {
      // What the HTTP route answers with a 4xx: the caller's to fix, so the model reads why.
      LOG.debug("execution-api - MCP tool {} refused: {}", name, refused.getMessage());
      return McpSchema.CallToolResult.builder()
          .isError(true)
          .addTextContent(refused.getMessage())
          .build();
    }
  }

  /** An argument as the text a query parameter would carry; null when absent. */
  private static String text(ObjectNode args, String field) {
    JsonNode value = args.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
