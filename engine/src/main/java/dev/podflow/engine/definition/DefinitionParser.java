package dev.podflow.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.podflow.engine.definition.InvalidDefinitionException.Violation;
import dev.podflow.engine.form.FormSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns submitted JSON into a {@link ProcessDefinition}, collecting every problem it finds so a
 * rejected upload can be fixed in one go: fields and their ranges, transitions and their
 * conditions, references between activities, loops, joins, and the configs of the built-in
 * orchestrators ({@link BuiltinOrchestrators}). Stateless and thread-safe.
 */
public final class DefinitionParser {
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern ORCHESTRATOR = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  /** A prompt placeholder, as the {@code llm-action} template language reads it. */
  static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.\\-]+)\\s*}}");

  private static final Set<String> DEFINITION_FIELDS = Set.of("id", "name", "activities");
  private static final Set<String> ACTIVITY_FIELDS =
      Set.of(
          "id",
          "name",
          "orchestrator",
          "config",
          "next",
          "maxAttempts",
          "priority",
          "timeoutSeconds",
          "backoff",
          "maxPasses",
          "join");
  private static final Set<String> TRANSITION_FIELDS = Set.of("to", "when", "otherwise");

  /** The orchestrator of human steps, whose config the parser checks. */
  public static final String HUMAN = BuiltinOrchestrators.HUMAN;

  static final int MAX_ACTIVITIES = 500;
  static final int MAX_ATTEMPTS_LIMIT = 100;

  /** Validates {@code json} completely: structure, transitions, joins and built-in configs. */
  public ProcessDefinition parse(JsonNode json) {
    return parse(json, true);
  }

  /**
   * Reads a definition stored by an earlier version of Podflow: the same structure rules, but the
   * configs of built-in orchestrators are not judged again, so a check added later cannot make a
   * stored version (and the instances running it) unreadable.
   */
  ProcessDefinition parseStored(JsonNode json) {
    return parse(json, false);
  }

  private ProcessDefinition parse(JsonNode json, boolean checkConfigs) {
    List<Violation> violations = new ArrayList<>();
    if (json == null || !json.isObject()) {
      throw new InvalidDefinitionException(List.of(new Violation("", "must be a JSON object")));
    }
    unknownFields(json, DEFINITION_FIELDS, "", violations);
    String id = requiredId(json, "id", "", ID, violations);
    String name = optionalText(json, "name", "", violations);
    JsonNode activitiesJson = json.get("activities");
    List<Activity> activities = new ArrayList<>();
    if (activitiesJson == null || !activitiesJson.isArray() || activitiesJson.isEmpty()) {
      violations.add(new Violation("/activities", "must be a non-empty array of activities"));
    } else if (activitiesJson.size() > MAX_ACTIVITIES) {
      violations.add(
          new Violation(
              "/activities",
              "has "
                  + activitiesJson.size()
                  + " activities; at most "
                  + MAX_ACTIVITIES
                  + " are allowed"));
    } else {
      List<Integer> positions = new ArrayList<>();
      for (int i = 0; i < activitiesJson.size(); i++) {
        Activity activity =
            parseActivity(activitiesJson.get(i), "/activities/" + i, id, checkConfigs, violations);
        if (activity != null) {
          activities.add(activity);
          positions.add(i);
        }
      }
      if (activities.size() == activitiesJson.size()) {
        ProcessDefinition graph = checkReferences(activities, violations);
        if (graph != null) {
          checkConditionSteps(graph, violations);
          checkJoins(graph, violations);
          if (checkConfigs) checkPrompts(graph, violations);
        }
      } else {
        // Some activities are unusable: their neighbours' pointers would be off, so only ids.
        checkUniqueIds(activities, positions, violations);
      }
    }
    if (!violations.isEmpty()) throw new InvalidDefinitionException(violations);
    return new ProcessDefinition(id, name == null ? id : name, activities);
  }

  private Activity parseActivity(
      JsonNode json,
      String at,
      String definitionId,
      boolean checkConfigs,
      List<Violation> violations) {
    if (json == null || !json.isObject()) {
      violations.add(new Violation(at, "must be an object with at least id and orchestrator"));
      return null;
    }
    int before = violations.size();
    unknownFields(json, ACTIVITY_FIELDS, at, violations);
    String id = requiredId(json, "id", at, ID, violations);
    String name = optionalText(json, "name", at, violations);
    String orchestrator = requiredId(json, "orchestrator", at, ORCHESTRATOR, violations);
    JsonNode config = json.get("config");
    if (config == null || config.isNull()) {
      config = JsonNodeFactory.instance.objectNode();
    } else if (!config.isObject()) {
      violations.add(new Violation(at + "/config", "must be an object"));
    }
    if (checkConfigs && orchestrator != null && config.isObject()) {
      String configAt = at + "/config";
      switch (orchestrator) {
        case BuiltinOrchestrators.HUMAN -> humanConfig(config, configAt, violations);
        case BuiltinOrchestrators.LLM_ACTION -> llmActionConfig(config, configAt, violations);
        case BuiltinOrchestrators.DEEP_RESEARCH -> deepResearchConfig(config, configAt, violations);
        case BuiltinOrchestrators.SUBPROCESS ->
            subprocessConfig(config, configAt, definitionId, violations);
        default -> {
          // noop reads no config; sleep's is checked on upload (DefinitionUploadCheck); others
          // belong to their plug-ins
        }
      }
    }
    List<Transition> next = transitions(json.get("next"), at + "/next", violations);
    boolean join = join(json.get("join"), at + "/join", violations);
    int maxAttempts =
        optionalInt(
            json,
            "maxAttempts",
            at,
            1,
            MAX_ATTEMPTS_LIMIT,
            Activity.DEFAULT_MAX_ATTEMPTS,
            violations);
    int priority =
        optionalInt(json, "priority", at, -1000, 1000, Activity.DEFAULT_PRIORITY, violations);
    int timeoutSeconds =
        optionalInt(
            json,
            "timeoutSeconds",
            at,
            1,
            Activity.MAX_TIMEOUT_SECONDS,
            Activity.DEFAULT_TIMEOUT_SECONDS,
            violations);
    Backoff backoff = backoff(json.get("backoff"), at + "/backoff", violations);
    int maxPasses =
        optionalInt(
            json,
            "maxPasses",
            at,
            1,
            Activity.MAX_PASSES_LIMIT,
            Activity.DEFAULT_MAX_PASSES,
            violations);
    if (violations.size() > before) return null;
    return new Activity(
        id,
        name == null ? id : name,
        orchestrator,
        config,
        next,
        maxAttempts,
        priority,
        timeoutSeconds,
        backoff,
        maxPasses,
        join);
  }

  /**
   * {@code next}: absent or null = the next activity in the list; else an array whose entries are
   * an activity id (always taken), {@code {"to": id, "when": condition}} or {@code {"to": id,
   * "otherwise": true}} (at most one). A target may appear once.
   */
  private static List<Transition> transitions(
      JsonNode json, String at, List<Violation> violations) {
    if (json == null || json.isNull()) return null;
    if (!json.isArray()) {
      violations.add(
          new Violation(
              at, "must be an array of activity ids or {\"to\", \"when\"|\"otherwise\"} objects"));
      return null;
    }
    List<Transition> next = new ArrayList<>();
    Map<String, Integer> targets = new HashMap<>();
    Integer otherwiseAt = null;
    for (int j = 0; j < json.size(); j++) {
      String entryAt = at + "/" + j;
      Transition transition = transition(json.get(j), entryAt, violations);
      if (transition == null) continue;
      Integer earlier = targets.putIfAbsent(transition.to(), j);
      if (earlier != null) {
        violations.add(
            new Violation(
                entryAt,
                "names '"
                    + transition.to()
                    + "' twice (also at "
                    + at
                    + "/"
                    + earlier
                    + "); combine the conditions with or"));
        continue;
      }
      if (transition.otherwise()) {
        if (otherwiseAt != null) {
          violations.add(
              new Violation(
                  entryAt + "/otherwise",
                  "only one transition of an activity may be otherwise; "
                      + at
                      + "/"
                      + otherwiseAt
                      + " already is"));
          continue;
        }
        otherwiseAt = j;
      }
      next.add(transition);
    }
    return List.copyOf(next);
  }

  private static Transition transition(JsonNode json, String at, List<Violation> violations) {
    if (json.isTextual()) return Transition.always(json.asText());
    if (!json.isObject()) {
      violations.add(
          new Violation(
              at,
              "must be an activity id (a string) or an object {\"to\": id, \"when\": condition}"
                  + " or {\"to\": id, \"otherwise\": true}"));
      return null;
    }
    int before = violations.size();
    unknownFields(json, TRANSITION_FIELDS, at, violations);
    JsonNode to = json.get("to");
    if (to == null || to.isNull()) {
      violations.add(new Violation(at + "/to", "is required: the id of the activity to go to"));
    } else if (!to.isTextual()) {
      violations.add(new Violation(at + "/to", "must be an activity id (a string)"));
    }
    JsonNode whenJson = json.get("when");
    JsonNode otherwiseJson = json.get("otherwise");
    boolean hasWhen = whenJson != null && !whenJson.isNull();
    boolean otherwise = false;
    if (otherwiseJson != null && !otherwiseJson.isNull()) {
      if (!otherwiseJson.isBoolean() || !otherwiseJson.booleanValue()) {
        violations.add(
            new Violation(
                at + "/otherwise",
                "must be true (the transition taken when no 'when' of this activity holds),"
                    + " or left out"));
      } else if (hasWhen) {
        violations.add(
            new Violation(
                at + "/otherwise",
                "cannot be combined with 'when'; a transition has a condition or is otherwise"));
      } else {
        otherwise = true;
      }
    }
    FeelCondition when = null;
    if (hasWhen) {
      if (!whenJson.isTextual()) {
        violations.add(
            new Violation(at + "/when", "must be a condition (a FEEL expression string)"));
      } else {
        try {
          when = FeelCondition.parse(whenJson.asText());
        } catch (ConditionSyntaxException e) {
          violations.add(
              new Violation(at + "/when", "is not a valid FEEL condition: " + e.detail()));
        }
      }
    }
    if (violations.size() > before) return null;
    return new Transition(to.asText(), when, otherwise);
  }

  private static boolean join(JsonNode json, String at, List<Violation> violations) {
    if (json == null || json.isNull()) return false;
    if (json.isTextual() && json.asText().equals(Activity.JOIN_ALL)) return true;
    violations.add(
        new Violation(
            at,
            "must be \"all\" (wait for every branch that can still arrive) or left out; got "
                + json));
    return false;
  }

  /**
   * {@code {"assignee": "<user id>", "form": {JSON Schema}}}: who answers the task, and the schema
   * the answer must satisfy (any JSON object when left out).
   */
  private static void humanConfig(JsonNode config, String at, List<Violation> violations) {
    unknownFields(config, Set.of("assignee", "form"), at, violations);
    if (config.get("assignee") == null || config.get("assignee").isNull()) {
      violations.add(
          new Violation(at + "/assignee", "is required: the id of the user who answers the task"));
    }
    optionalAssignee(config, at, violations);
    JsonNode form = config.get("form");
    if (form != null && !form.isNull()) {
      for (FormSchema.Violation v : FormSchema.check(form)) {
        violations.add(new Violation(at + "/form" + v.pointer(), v.message()));
      }
    }
  }

  private static void optionalAssignee(JsonNode config, String at, List<Violation> violations) {
    JsonNode assignee = config.get("assignee");
    if (assignee == null || assignee.isNull()) return;
    if (!assignee.isTextual() || assignee.asText().isBlank() || assignee.asText().length() > 200) {
      violations.add(
          new Violation(at + "/assignee", "must be a non-blank user id of at most 200 characters"));
    }
  }

  /**
   * {@code {"agent": "<agent id>", "prompt": "<template>", "outputSchema": {JSON Schema},
   * "maxSteps": 1..50, "assignee": "<user id>"}}, the last three optional; {@code assignee} is whom
   * the agent's {@code ask_human} tool asks. Placeholders are checked in {@link #checkPrompts}.
   */
  private static void llmActionConfig(JsonNode config, String at, List<Violation> violations) {
    unknownFields(
        config, Set.of("agent", "prompt", "outputSchema", "maxSteps", "assignee"), at, violations);
    optionalAssignee(config, at, violations);
    JsonNode agent = config.get("agent");
    if (agent == null || agent.isNull()) {
      violations.add(
          new Violation(
              at + "/agent", "is required: the id of an agent profile (POST /api/v1/agents)"));
    } else if (!agent.isTextual() || !ID.matcher(agent.asText()).matches()) {
      violations.add(new Violation(at + "/agent", "must be an agent id matching " + ID.pattern()));
    }
    requiredPrompt(config, at, violations);
    JsonNode schema = config.get("outputSchema");
    if (schema != null && !schema.isNull()) {
      for (FormSchema.Violation v : FormSchema.check(schema)) {
        violations.add(new Violation(at + "/outputSchema" + v.pointer(), v.message()));
      }
    }
    optionalInt(config, "maxSteps", at, 1, BuiltinOrchestrators.LLM_MAX_STEPS, 0, violations);
  }

  /**
   * {@code {"prompt": "<template>", "maxQuestions": 1..12, "agents": {"<role>": "<agent id>"}}},
   * the last two optional; roles are {@link BuiltinOrchestrators#DEEP_RESEARCH_ROLES}.
   */
  private static void deepResearchConfig(JsonNode config, String at, List<Violation> violations) {
    unknownFields(config, Set.of("prompt", "maxQuestions", "agents"), at, violations);
    requiredPrompt(config, at, violations);
    optionalInt(
        config,
        "maxQuestions",
        at,
        1,
        BuiltinOrchestrators.DEEP_RESEARCH_MAX_QUESTIONS,
        0,
        violations);
    JsonNode agents = config.get("agents");
    if (agents == null || agents.isNull()) return;
    if (!agents.isObject()) {
      violations.add(
          new Violation(
              at + "/agents",
              "must be an object naming an agent id per role; roles: "
                  + new TreeSet<>(BuiltinOrchestrators.DEEP_RESEARCH_ROLES)));
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = agents.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> role = it.next();
      String roleAt = at + "/agents/" + pointerToken(role.getKey());
      if (!BuiltinOrchestrators.DEEP_RESEARCH_ROLES.contains(role.getKey())) {
        violations.add(
            new Violation(
                roleAt,
                "is not a deep-research role; roles: "
                    + new TreeSet<>(BuiltinOrchestrators.DEEP_RESEARCH_ROLES)));
      } else if (!role.getValue().isTextual() || !ID.matcher(role.getValue().asText()).matches()) {
        violations.add(new Violation(roleAt, "must be an agent id matching " + ID.pattern()));
      }
    }
  }

  /** {@code {"definition": "<definition id>", "version": n}}, version optional (latest). */
  private static void subprocessConfig(
      JsonNode config, String at, String definitionId, List<Violation> violations) {
    unknownFields(config, Set.of("definition", "version"), at, violations);
    String child = requiredId(config, "definition", at, ID, violations);
    if (child != null && child.equals(definitionId)) {
      violations.add(
          new Violation(
              at + "/definition",
              "names this definition itself; the sub-process would start itself forever"));
    }
    optionalInt(config, "version", at, 1, Integer.MAX_VALUE, 0, violations);
  }

  private static void requiredPrompt(JsonNode config, String at, List<Violation> violations) {
    JsonNode prompt = config.get("prompt");
    if (prompt == null || prompt.isNull()) {
      violations.add(new Violation(at + "/prompt", "is required: the prompt template"));
    } else if (!prompt.isTextual() || prompt.asText().isBlank()) {
      violations.add(new Violation(at + "/prompt", "must be a non-blank string"));
    }
  }

  /**
   * The placeholders of {@code llm-action} and {@code deep-research} prompts start at {@code
   * input}, {@code process.input} or {@code steps.<activity id>.output}, where the activity exists
   * and can run before this one.
   */
  private static void checkPrompts(ProcessDefinition graph, List<Violation> violations) {
    List<Activity> activities = graph.activities();
    for (int i = 0; i < activities.size(); i++) {
      Activity activity = activities.get(i);
      if (!activity.orchestrator().equals(BuiltinOrchestrators.LLM_ACTION)
          && !activity.orchestrator().equals(BuiltinOrchestrators.DEEP_RESEARCH)) {
        continue;
      }
      JsonNode prompt = activity.config().get("prompt");
      if (prompt == null || !prompt.isTextual()) continue;
      Matcher m = PLACEHOLDER.matcher(prompt.asText());
      while (m.find()) {
        String problem = placeholderProblem(m.group(1), activity, graph);
        if (problem != null) {
          violations.add(
              new Violation(
                  "/activities/" + i + "/config/prompt",
                  "placeholder {{" + m.group(1) + "}} " + problem));
        }
      }
    }
  }

  private static String placeholderProblem(String path, Activity self, ProcessDefinition graph) {
    if (path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
      return "has an empty segment";
    }
    if (path.equals("input") || path.startsWith("input.")) return null;
    if (path.equals("process.input") || path.startsWith("process.input.")) return null;
    if (!path.startsWith("steps.")) {
      return "has an unknown root; placeholders start with input, process.input or"
          + " steps.<activity id>.output";
    }
    String rest = path.substring("steps.".length());
    String step = null;
    for (Activity candidate : graph.activities()) { // ids may contain dots: take the longest
      String id = candidate.id();
      if ((rest.equals(id + ".output") || rest.startsWith(id + ".output."))
          && (step == null || id.length() > step.length())) {
        step = id;
      }
    }
    if (step == null) {
      for (Activity candidate : graph.activities()) {
        if (rest.equals(candidate.id()) || rest.startsWith(candidate.id() + ".")) {
          return "must go on with .output after the activity id: {{steps."
              + candidate.id()
              + ".output…}}";
        }
      }
      return "names an unknown activity; known: "
          + graph.activities().stream().map(Activity::id).sorted().toList();
    }
    if (step.equals(self.id()) && !graph.inLoop(self.id())) {
      return "refers to this activity's own output, which does not exist while it runs";
    }
    if (!graph.canReach(step, self.id())) {
      return "refers to activity '"
          + step
          + "', which never runs before this one (no path of transitions leads from it here)";
    }
    return null;
  }

  /**
   * A condition's {@code steps.<id>} names an activity of the definition. Ids that are not FEEL
   * names are written in backticks, {@code steps.`draft-1`.output}; without them FEEL reads {@code
   * steps.draft-1} as {@code steps.draft} minus 1, which this check catches too.
   */
  private static void checkConditionSteps(ProcessDefinition graph, List<Violation> violations) {
    List<Activity> activities = graph.activities();
    for (int i = 0; i < activities.size(); i++) {
      List<Transition> next = activities.get(i).next();
      if (next == null) continue;
      for (int j = 0; j < next.size(); j++) {
        FeelCondition when = next.get(j).when();
        if (when == null) continue;
        for (String step : when.stepIds()) {
          if (graph.activity(step).isEmpty()) {
            violations.add(
                new Violation(
                    "/activities/" + i + "/next/" + j + "/when",
                    "reads steps."
                        + step
                        + ", but the definition has no activity '"
                        + step
                        + "'; known: "
                        + activities.stream().map(Activity::id).sorted().toList()
                        + " (write ids that are not FEEL names in backticks:"
                        + " steps.`draft-1`.output)"));
          }
        }
      }
    }
  }

  /** A join waits for two or more branches, and cannot be the first activity. */
  private static void checkJoins(ProcessDefinition graph, List<Violation> violations) {
    List<Activity> activities = graph.activities();
    for (int i = 0; i < activities.size(); i++) {
      Activity activity = activities.get(i);
      if (!activity.join()) continue;
      String at = "/activities/" + i + "/join";
      List<Activity> incoming = graph.possiblePredecessorsOf(activity.id());
      if (i == 0) {
        violations.add(
            new Violation(at, "the first activity starts the process and cannot be a join"));
      } else if (incoming.isEmpty()) {
        violations.add(
            new Violation(
                at,
                "no transition leads to this activity, so the join would wait for"
                    + " nothing; remove \"join\""));
      } else if (incoming.size() == 1) {
        violations.add(
            new Violation(
                at,
                "only one transition (from '"
                    + incoming.getFirst().id()
                    + "') leads to this activity, so the join would wait for one branch only;"
                    + " a join needs two or more incoming transitions"));
      }
    }
  }

  /**
   * {@code {"initialSeconds": a, "maxSeconds": b}} with 0 < a <= b <= one day; either may be left
   * out.
   */
  private static Backoff backoff(JsonNode json, String at, List<Violation> violations) {
    if (json == null || json.isNull()) return Backoff.DEFAULT;
    if (!json.isObject()) {
      violations.add(
          new Violation(at, "must be an object {\"initialSeconds\": n, \"maxSeconds\": m}"));
      return Backoff.DEFAULT;
    }
    int before = violations.size();
    unknownFields(json, Set.of("initialSeconds", "maxSeconds"), at, violations);
    double initial =
        optionalSeconds(json, "initialSeconds", at, Backoff.DEFAULT.initialSeconds(), violations);
    double max =
        optionalSeconds(
            json, "maxSeconds", at, Math.max(initial, Backoff.DEFAULT.maxSeconds()), violations);
    if (violations.size() > before) return Backoff.DEFAULT;
    if (max < initial) {
      violations.add(
          new Violation(
              at + "/maxSeconds", "must not be less than initialSeconds (" + initial + ")"));
      return Backoff.DEFAULT;
    }
    return new Backoff(initial, max);
  }

  private static double optionalSeconds(
      JsonNode json, String field, String at, double fallback, List<Violation> violations) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) return fallback;
    if (!value.isNumber()
        || !(value.asDouble() > 0)
        || value.asDouble() > Backoff.LONGEST_SECONDS) {
      violations.add(
          new Violation(
              at + "/" + field,
              "must be a number of seconds above 0 and at most " + (long) Backoff.LONGEST_SECONDS));
      return fallback;
    }
    return value.asDouble();
  }

  private static void checkUniqueIds(
      List<Activity> activities, List<Integer> positions, List<Violation> violations) {
    Set<String> seen = new HashSet<>();
    for (int k = 0; k < activities.size(); k++) {
      if (!seen.add(activities.get(k).id())) {
        violations.add(
            new Violation(
                "/activities/" + positions.get(k) + "/id",
                "'" + activities.get(k).id() + "' is used by an earlier activity"));
      }
    }
  }

  /**
   * Ids are unique, every transition names a known activity, and no loop is made of transitions
   * that are always taken (it could never be left). Returns the graph when all of that holds, else
   * null.
   */
  private static ProcessDefinition checkReferences(
      List<Activity> activities, List<Violation> violations) {
    int before = violations.size();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < activities.size(); i++) {
      if (index.putIfAbsent(activities.get(i).id(), i) != null) {
        violations.add(
            new Violation(
                "/activities/" + i + "/id",
                "'" + activities.get(i).id() + "' is used by an earlier activity"));
      }
    }
    if (violations.size() > before) return null;
    for (int i = 0; i < activities.size(); i++) {
      List<Transition> next = activities.get(i).next();
      if (next == null) continue;
      for (int j = 0; j < next.size(); j++) {
        Transition transition = next.get(j);
        if (!index.containsKey(transition.to())) {
          violations.add(
              new Violation(
                  "/activities/" + i + "/next/" + j + (transition.conditional() ? "/to" : ""),
                  "names unknown activity '"
                      + transition.to()
                      + "'; known: "
                      + index.keySet().stream().sorted().toList()));
        }
      }
    }
    if (violations.size() > before) return null;
    ProcessDefinition graph = new ProcessDefinition("", "", activities);
    Set<String> done = new HashSet<>();
    for (Activity activity : activities) {
      List<String> cycle = findCycle(graph, activity.id(), new LinkedHashSet<>(), done);
      if (cycle != null) {
        violations.add(
            new Violation(
                "/activities/" + index.get(cycle.get(cycle.size() - 2)) + "/next",
                "forms a loop that would never end: "
                    + String.join(" -> ", cycle)
                    + "; a loop needs a transition that is not always taken (\"when\", or"
                    + " \"otherwise\" beside a \"when\") so it can be left"));
        return null;
      }
    }
    return graph;
  }

  private static List<String> findCycle(
      ProcessDefinition graph, String id, LinkedHashSet<String> path, Set<String> done) {
    if (done.contains(id)) return null;
    if (path.contains(id)) {
      List<String> cycle = new ArrayList<>();
      boolean in = false;
      for (String step : path) {
        if (step.equals(id)) in = true;
        if (in) cycle.add(step);
      }
      cycle.add(id);
      return cycle;
    }
    path.add(id);
    for (Activity successor : graph.unconditionalSuccessorsOf(id)) {
      List<String> cycle = findCycle(graph, successor.id(), path, done);
      if (cycle != null) return cycle;
    }
    path.remove(id);
    done.add(id);
    return null;
  }

  /** Escapes a field name for use in a JSON Pointer (RFC 6901). */
  static String pointerToken(String field) {
    return field.replace("~", "~0").replace("/", "~1");
  }

  private static void unknownFields(
      JsonNode json, Set<String> known, String at, List<Violation> violations) {
    for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!known.contains(field)) {
        violations.add(
            new Violation(
                at + "/" + pointerToken(field),
                "is not a known field; known: " + known.stream().sorted().toList()));
      }
    }
  }

  private static String requiredId(
      JsonNode json, String field, String at, Pattern pattern, List<Violation> violations) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      violations.add(new Violation(at + "/" + field, "is required"));
      return null;
    }
    if (!value.isTextual() || !pattern.matcher(value.asText()).matches()) {
      violations.add(
          new Violation(at + "/" + field, "must be a string matching " + pattern.pattern()));
      return null;
    }
    return value.asText();
  }

  private static String optionalText(
      JsonNode json, String field, String at, List<Violation> violations) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) return null;
    if (!value.isTextual() || value.asText().isBlank() || value.asText().length() > 200) {
      violations.add(
          new Violation(at + "/" + field, "must be a non-blank string of at most 200 characters"));
      return null;
    }
    return value.asText();
  }

  private static int optionalInt(
      JsonNode json,
      String field,
      String at,
      int min,
      int max,
      int fallback,
      List<Violation> violations) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) return fallback;
    if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
      violations.add(
          new Violation(at + "/" + field, "must be a whole number from " + min + " to " + max));
      return fallback;
    }
    return value.asInt();
  }
}
