package dev.podflow.memory;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How one agent recalls, from its profile's {@code memory} object: {@code "recall": false} turns
 * recall off; {@code topK}, {@code minScore}, {@code tokenBudget}, {@code sources} (which kinds of
 * memory) and {@code "documents": false} narrow it. A profile only narrows what the pod's {@link
 * MemorySettings} allow ({@link #narrow}): an admin editing a profile cannot make prompts longer
 * than the operator configured. Absent (null) = the pod's settings as they are.
 *
 * @param recall whether the agent recalls at all
 * @param topK at most this many memories and as many chunks, or 0 for the pod's
 * @param minScore at least this similar, or 0 for the pod's
 * @param tokenBudget at most this many tokens together, or 0 for the pod's
 * @param sources the sources of memories recalled ({@code feedback}, {@code knowledge}, {@code
 *     observation})
 * @param documents whether document passages are recalled
 */
public record RecallProfile(
    boolean recall,
    int topK,
    double minScore,
    int tokenBudget,
    Set<String> sources,
    boolean documents) {
  /** Every source a memory can have (the CHECK on {@code memories.source}). */
  public static final Set<String> SOURCES = Set.of("feedback", "knowledge", "observation");

  /** No profile: the pod's settings. */
  public static final RecallProfile POD_SETTINGS = new RecallProfile(true, 0, 0, 0, SOURCES, true);

  private static final Set<String> FIELDS =
      Set.of("recall", "topK", "minScore", "tokenBudget", "sources", "documents");

  public RecallProfile {
    sources = Set.copyOf(sources);
  }

  /** A problem with one field of the object: its JSON pointer below {@code memory}, and why. */
  public record FieldError(String pointer, String message) {}

  /**
   * {@code memory} read from a profile (null or JSON null: {@link #POD_SETTINGS}), with every
   * problem in {@code errors} (and {@link #POD_SETTINGS} returned) when it is not a valid one.
   */
  public static RecallProfile parse(JsonNode memory, List<FieldError> errors) {
    if (memory == null || memory.isNull()) return POD_SETTINGS;
    if (!memory.isObject()) {
      errors.add(new FieldError("", "must be an object such as {\"recall\": false}"));
      return POD_SETTINGS;
    }
    int before = errors.size();
    for (Iterator<String> names = memory.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        errors.add(new FieldError("/" + name, "is not a recall setting; known: " + FIELDS));
      }
    }
    boolean recall = flag(memory, "recall", errors);
    boolean documents = flag(memory, "documents", errors);
    int topK = whole(memory, "topK", 1, 50, errors);
    int tokenBudget = whole(memory, "tokenBudget", 50, 20_000, errors);
    double minScore = 0;
    JsonNode score = memory.get("minScore");
    if (score != null) {
      if (score.isNumber() && score.asDouble() >= 0 && score.asDouble() <= 1) {
        minScore = score.asDouble();
      } else {
        errors.add(new FieldError("/minScore", "must be a number from 0 to 1"));
      }
    }
    Set<String> sources = SOURCES;
    JsonNode listed = memory.get("sources");
    if (listed != null) {
      Set<String> chosen = new LinkedHashSet<>();
      if (!listed.isArray() || listed.isEmpty()) {
        errors.add(new FieldError("/sources", "must be a non-empty array of " + SOURCES));
      } else {
        for (int i = 0; i < listed.size(); i++) {
          String source = listed.get(i).asText();
          if (!listed.get(i).isTextual() || !SOURCES.contains(source)) {
            errors.add(new FieldError("/sources/" + i, "must be one of " + SOURCES));
          }
          chosen.add(source);
        }
        sources = chosen;
      }
    }
    if (errors.size() > before) return POD_SETTINGS;
    return new RecallProfile(recall, topK, minScore, tokenBudget, sources, documents);
  }

  /** The pod's {@code settings}, narrowed by this profile. */
  public MemorySettings narrow(MemorySettings settings) {
    return new MemorySettings(
        topK == 0 ? settings.topK() : Math.min(topK, settings.topK()),
        Math.max(minScore, settings.minScore()),
        tokenBudget == 0 ? settings.tokenBudget() : Math.min(tokenBudget, settings.tokenBudget()),
        settings.duplicateScore());
  }

  private static boolean flag(JsonNode memory, String field, List<FieldError> errors) {
    JsonNode value = memory.get(field);
    if (value == null) return true;
    if (!value.isBoolean()) errors.add(new FieldError("/" + field, "must be true or false"));
    return value.asBoolean(true);
  }

  private static int whole(JsonNode memory, String field, int min, int max, List<FieldError> e) {
    JsonNode value = memory.get(field);
    if (value == null) return 0;
    if (!value.canConvertToInt()
        || !value.isIntegralNumber()
        || value.asInt() < min
        || value.asInt() > max) {
      e.add(new FieldError("/" + field, "must be a whole number from " + min + " to " + max));
      return 0;
    }
    return value.asInt();
  }
}
