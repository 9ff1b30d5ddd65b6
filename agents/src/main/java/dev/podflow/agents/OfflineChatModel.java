package dev.podflow.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.podflow.store.Json;

/**
 * The model {@code llm-action} runs when no endpoint is configured: deterministic, no network, and
 * no intelligence. It never calls tools. Asked for JSON matching a schema (the {@link
 * PromptBuilder#SCHEMA_MARKER} block), it answers an object with every required field set to a
 * placeholder of the right type; otherwise it answers {@code [offline model] } followed by the
 * start of the last user message. Token counts are whitespace-separated words. Events label its
 * calls {@code "model": "offline", "offline": true}. Thread-safe.
 */
public final class OfflineChatModel implements ChatModel {
  static final String PREFIX = "[offline model] ";
  private static final int ECHO_CHARS = 200;

  @Override
  public ChatResponse doChat(ChatRequest request) {
    String system = "";
    String lastUser = "";
    int promptWords = 0;
    for (ChatMessage message : request.messages()) {
      if (message instanceof SystemMessage s) {
        system = system + "\n" + s.text();
        promptWords += words(s.text());
      } else if (message instanceof UserMessage u && u.hasSingleText()) {
        lastUser = u.singleText();
        promptWords += words(lastUser);
      }
    }
    JsonNode schema = PromptBuilder.schemaIn(lastUser).orElse(null);
    if (schema == null) schema = PromptBuilder.schemaIn(system).orElse(null);
    String text =
        schema != null
            ? Json.write(placeholder(schema, "offline"))
            : PREFIX + abbreviate(lastUser.strip());
    return ChatResponse.builder()
        .aiMessage(AiMessage.from(text))
        .modelName(LlmConfig.OFFLINE_MODEL)
        .tokenUsage(new TokenUsage(promptWords, words(text)))
        .finishReason(FinishReason.STOP)
        .build();
  }

  /** A value of the schema's type; for objects, every required property (and typed ones). */
  static JsonNode placeholder(JsonNode schema, String name) {
    if (schema.has("const")) return schema.get("const");
    if (schema.has("enum") && schema.get("enum").size() > 0) return schema.get("enum").get(0);
    if (schema.has("default")) return schema.get("default");
    String type = schema.path("type").isTextual() ? schema.path("type").asText() : "";
    if (schema.path("type").isArray() && schema.path("type").size() > 0) {
      type = schema.path("type").get(0).asText();
    }
    if (type.isEmpty() && schema.has("properties")) type = "object";
    switch (type) {
      case "object" -> {
        ObjectNode object = Json.object();
        JsonNode properties = schema.path("properties");
        for (JsonNode required : schema.path("required")) {
          String field = required.asText();
          object.set(field, placeholder(properties.path(field), field));
        }
        return object;
      }
      case "array" -> {
        ArrayNode array = Json.MAPPER.createArrayNode();
        int min = schema.path("minItems").asInt(0);
        for (int i = 0; i < min; i++) array.add(placeholder(schema.path("items"), name));
        return array;
      }
      case "integer" -> {
        return Json.MAPPER.getNodeFactory().numberNode(schema.path("minimum").asLong(0));
      }
      case "number" -> {
        return Json.MAPPER.getNodeFactory().numberNode(schema.path("minimum").asDouble(0));
      }
      case "boolean" -> {
        return Json.MAPPER.getNodeFactory().booleanNode(false);
      }
      case "null" -> {
        return Json.MAPPER.getNodeFactory().nullNode();
      }
      default -> {
        String text = "offline placeholder for " + name;
        int min = schema.path("minLength").asInt(0);
        while (text.length() < min) text = text + ".";
        int max = schema.path("maxLength").asInt(Integer.MAX_VALUE);
        return Json.MAPPER
            .getNodeFactory()
            .textNode(text.substring(0, Math.min(max, text.length())));
      }
    }
  }

  private static String abbreviate(String text) {
    String oneLine = text.replaceAll("\\s+", " ");
    return oneLine.length() <= ECHO_CHARS ? oneLine : oneLine.substring(0, ECHO_CHARS) + "…";
  }

  private static int words(String text) {
    String stripped = text.strip();
    return stripped.isEmpty() ? 0 : stripped.split("\\s+").length;
  }
}
