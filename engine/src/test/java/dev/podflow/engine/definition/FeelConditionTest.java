package dev.podflow.engine.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.store.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * FEEL conditions over JSON: what holds, what does not, and what is undecided (neither true nor
 * false: the transition is not taken and the engine records why). The cases follow the first
 * condition language's tests, written in FEEL; where FEEL decides differently the case says so.
 */
class FeelConditionTest {
  private static final JsonNode OUTPUT =
      Json.parse(
          """
          {"score": 0.8, "count": 3, "approved": true, "rejected": false, "one": 1, "word": "yes",
           "name": "Ada", "nothing": null, "items": [{"name": "first"}, {"name": "second"}],
           "tags": ["a", "b"], "nested": {"a": [1, 2.0]}, "0": "zero", "a-b": "dash",
           "if": "keyword"}""");
  private static final JsonNode INPUT =
      Json.parse("{\"tier\": \"gold\", \"limit\": 10, \"flags\": {\"vip\": true}}");

  private static FeelCondition.Outcome evaluate(String source, JsonNode output, JsonNode input) {
    return FeelCondition.parse(source).evaluate(new ConditionScope(output, input, Map.of()));
  }

  private static String decision(FeelCondition.Outcome outcome) {
    if (outcome.problem() != null) {
      assertThat(outcome.holds()).as("an undecided condition does not hold").isFalse();
      return "undecided";
    }
    return Boolean.toString(outcome.holds());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '§',
      value = {
        // only the boolean true holds; null and other values are undecided (the old language:
        // false)
        "true => true",
        "false => false",
        "null => undecided",
        "1 => undecided",
        "\"yes\" => undecided",
        "output.approved => true",
        "output.rejected => false",
        "output.one => undecided",
        "output.word => undecided",
        "output.items => undecided",
        "output.missing => undecided",
        "output.missing = true => false",
        "process.input.flags.vip => true",
        // equality: numbers by value, lists and contexts by their items
        "output.count = 3 => true",
        "output.count = 3.0 => true",
        "output.one = 1.0 => true",
        "1 = 1.0 => true",
        "-1 = -1.00 => true",
        "output.score = 0.8 => true",
        "output.count != 3 => false",
        "output.word = \"yes\" => true",
        "output.word = \"Yes\" => false",
        "output.approved = true => true",
        "output.nothing = null => true",
        "output.missing = null => true",
        "output.missing.deeper.still = null => true",
        "output.word.length = null => true",
        "output.missing != null => false",
        "output.tags = [\"a\", \"b\"] => true",
        "output.nested = {a: [1, 2]} => true",
        // values of different types are not comparable: undecided (the old language: false)
        "output.count = \"3\" => undecided",
        "output.approved = \"true\" => undecided",
        "output.count != \"3\" => undecided",
        // lists count from 1; negative indexes from the end; names FEEL cannot read in backticks
        "output.items[1].name = \"first\" => true",
        "output.items[2].name = \"second\" => true",
        "output.items[-1].name = \"second\" => true",
        "output.items[6].name = null => true",
        "output.nested.a[2] = 2 => true",
        "output.`a-b` = \"dash\" => true",
        "output.`0` = \"zero\" => true",
        "output.`if` = \"keyword\" => true",
        "get value(output, \"a-b\") = \"dash\" => true",
        "output.items.name = [\"first\", \"second\"] => true",
        // ordering: numbers and strings (by UTF-16 code units)
        "output.score > 0.5 => true",
        "output.score >= 0.8 => true",
        "output.score < 0.8 => false",
        "output.score <= 0.8 => true",
        "output.count > 2.99 => true",
        "-5 < -4 => true",
        "process.input.limit >= 10 => true",
        "\"apple\" < \"banana\" => true",
        "\"b\" > \"abc\" => true",
        "\"B\" < \"a\" => true",
        "output.name >= \"Ada\" => true",
        "output.count < \"4\" => undecided",
        "\"10\" < 9 => undecided",
        "output.missing < 1 => undecided",
        "true > false => undecided",
        "output.items > output.tags => undecided",
        // logic: three-valued, and binds tighter than or
        "true or false and false => true",
        "(true or false) and false => false",
        "false and true or true => true",
        "false and (true or true) => false",
        "not(false) => true",
        "not(true) => false",
        "not(not(true)) => true",
        "not(output.count = 3) => false",
        "not(output.rejected) and output.approved => true",
        "not(output.approved and output.rejected) => true",
        "output.missing > 1 or output.approved => true",
        "output.missing > 1 and output.rejected => false",
        "output.missing > 1 and output.approved => undecided",
        "not(output.missing) => undecided",
        "output.missing != true => true",
        "output.score > 0.5 and process.input.tier = \"gold\" => true",
        "output.score > 0.9 or process.input.tier = \"gold\" and output.count = 3 => true",
        "output.score > 0.9 or process.input.tier = \"silver\" and output.count = 3 => false",
        "(output.score > 0.9 or process.input.tier = \"gold\") and output.count = 4 => false",
        "  ( ( output.approved ) )  => true",
        "\"say 'hi'\" = \"say \\'hi\\'\" => true",
        "\"a \\\"quote\\\"\" = \"a \" + \"\\\"\" + \"quote\" + \"\\\"\" => true",
        // more of FEEL
        "output.count between 1 and 5 => true",
        "output.word in (\"yes\", \"no\") => true",
        "list contains(output.tags, \"b\") => true",
        "some item in output.items satisfies item.name = \"second\" => true",
        "every t in output.tags satisfies string length(t) = 1 => true",
        "count(output.items[name = \"first\"]) = 1 => true",
        "if output.approved then output.count > 2 else false => true",
        "upper case(output.word) = \"YES\" => true",
        "date(\"2024-01-01\") < date(\"2024-02-01\") => true",
        // failures are undecided too
        "output.toString() = \"x\" => undecided",
        "assert(output.missing, output.missing != null) => undecided",
        "foo(1) => undecided",
      })
  void evaluates(String source, String expected) {
    assertThat(decision(evaluate(source, OUTPUT, INPUT))).as(source).isEqualTo(expected);
  }

  @Test
  void listsAndContextsCompareByValueWithNumbersNormalized() {
    JsonNode output =
        Json.parse("{\"a\": [1, {\"x\": 2.0}], \"b\": [1.0, {\"x\": 2}], \"c\": [1]}");
    assertThat(evaluate("output.a = output.b", output, null).holds()).isTrue();
    assertThat(evaluate("output.a = output.c", output, null).holds()).isFalse();
    assertThat(evaluate("output = output", output, null).holds()).isTrue();
    assertThat(evaluate("{x: 1} = {x: 1, y: null}", output, null).holds()).isFalse();
  }

  @Test
  void missingOrNullDocumentsAreNull() {
    assertThat(evaluate("output.x = null and process.input = null", null, null).holds()).isTrue();
    assertThat(evaluate("output.x = null", Json.parse("7"), Json.parse("null")).holds()).isTrue();
    assertThat(evaluate("output = 7", Json.parse("7"), null).holds()).isTrue();
    assertThat(evaluate("process.input = null", null, Json.parse("null")).holds()).isTrue();
  }

  @Test
  void stepsAreReadByActivityIdWithBackticksForIdsThatAreNotNames() {
    Map<String, CompletedStep> steps =
        Map.of(
            "draft-1", new CompletedStep(Json.parse("{\"words\": 120}"), 2),
            "review", new CompletedStep(Json.parse("{\"approved\": true}"), 1),
            "empty", new CompletedStep(null, 1));
    ConditionScope scope = new ConditionScope(Json.object(), Json.object(), steps);
    for (String holds :
        new String[] {
          "steps.`draft-1`.output.words > 100",
          "steps.review.output.approved",
          "get value(steps, \"draft-1\").output.words = 120",
          "steps.empty.output = null",
          "steps.nope = null",
          "steps.`draft-1` = {output: {words: 120}, pass: 2}",
          "steps.`draft-1`.pass = 2",
        }) {
      assertThat(FeelCondition.parse(holds).evaluate(scope)).as(holds).isEqualTo(outcome(true));
    }
    // unquoted, FEEL reads draft-1 as draft minus 1
    assertThat(FeelCondition.parse("steps.draft-1.output.words > 100").stepIds())
        .containsExactly("draft");
    assertThat(FeelCondition.parse("steps.draft-1.output.words > 100").evaluate(scope).holds())
        .isFalse();
  }

  @Test
  void theStepsAConditionNamesAreKnownFromItsText() {
    FeelCondition condition =
        FeelCondition.parse(
            "steps.`draft-1`.output.ok and steps.review.output.ok or output.steps = 1");
    assertThat(condition.stepIds()).containsExactlyInAnyOrder("draft-1", "review");
    assertThat(condition.readsSteps()).isTrue();
    assertThat(FeelCondition.parse("get value(steps, \"a-b\") != null").stepIds()).isEmpty();
    assertThat(FeelCondition.parse("get value(steps, \"a-b\") != null").readsSteps()).isTrue();
    assertThat(FeelCondition.parse("output.ok").readsSteps()).isFalse();
    assertThat(FeelCondition.parse("output.ok").stepIds()).isEmpty();
  }

  @Test
  void anUndecidedOutcomeSaysWhy() {
    assertThat(evaluate("output.missing", OUTPUT, INPUT).problem())
        .startsWith("is null, not true or false (No context entry found with key 'missing'.");
    assertThat(evaluate("output.word", OUTPUT, INPUT).problem())
        .isEqualTo("is the string \"yes\", not true or false");
    assertThat(evaluate("output.count", OUTPUT, INPUT).problem())
        .isEqualTo("is the number 3, not true or false");
    assertThat(evaluate("output.count = \"3\"", OUTPUT, INPUT).problem())
        .isEqualTo("is null, not true or false (Can't compare '3' with '\"3\"')");
    assertThat(evaluate("output.toString() = \"x\"", OUTPUT, INPUT).problem())
        .isEqualTo("No function found with name 'toString' and 0 parameters");
    ObjectNode big = Json.object().put("text", "x".repeat(5000));
    for (int i = 0; i < 200; i++) big.put("field" + i, i);
    assertThat(evaluate("output.missing", big, null).problem())
        .hasSize(FeelCondition.MAX_PROBLEM_LENGTH)
        .endsWith("…");
    assertThat(evaluate("output.text", big, null).problem()).hasSizeLessThan(120);
  }

  @Test
  void sourceEqualityAndJson() {
    FeelCondition a = FeelCondition.parse("output.ok = true");
    assertThat(a.source()).isEqualTo("output.ok = true");
    assertThat(a).isEqualTo(FeelCondition.parse("output.ok = true")).hasSameHashCodeAs(a);
    assertThat(a).isNotEqualTo(FeelCondition.parse("output.ok=true"));
    assertThat(Json.write(a)).isEqualTo("\"output.ok = true\"");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '§',
      value = {
        "output.score > => Expected (binaryComparison | between | instanceOf | in | \"and\" |"
            + " \"or\" | end-of-input):1:14, found \">\"",
        "output.a == 1 => Expected (binaryComparison | between | instanceOf | in | \"and\" |"
            + " \"or\" | end-of-input):1:10, found \"== 1\"",
        "output.a && output.b => :1:10, found \"&& output.\"",
        "!output.a => :1:1, found \"!output.a\"",
        "'text' = output.word => :1:1, found \"'text' = o\"",
        "1e2 = 100 => :1:2, found \"e2 = 100\"",
        "1 < 2 < 3 => :1:7, found \"< 3\"",
        "output.a output.b => :1:10, found \"output.b\"",
        "() => :1:1, found \"()\"",
      })
  void syntaxErrorsCarryFeelsMessage(String source, String detail) {
    FeelSyntaxException e =
        catchThrowableOfType(FeelSyntaxException.class, () -> FeelCondition.parse(source));
    assertThat(e).as(source).isNotNull();
    assertThat(e.detail()).as(source).contains(detail).doesNotContain(source + "'");
    assertThat(e.getMessage()).contains("'" + source + "'").contains(detail);
  }

  @Test
  void emptyOverlongAndTooDeepConditionsAreRejected() {
    assertThat(
            catchThrowableOfType(FeelSyntaxException.class, () -> FeelCondition.parse("  "))
                .detail())
        .isEqualTo("is empty; expected a FEEL expression");
    assertThat(
            catchThrowableOfType(
                    FeelSyntaxException.class,
                    () -> FeelCondition.parse("true or ".repeat(300) + "true"))
                .detail())
        .isEqualTo("is longer than 2000 characters (2404)");
    assertThat(
            catchThrowableOfType(
                    FeelSyntaxException.class,
                    () -> FeelCondition.parse("(".repeat(51) + "true" + ")".repeat(51)))
                .detail())
        .isEqualTo("is nested deeper than 50 levels of brackets");
    assertThat(evaluate("(".repeat(50) + "true" + ")".repeat(50), null, null).holds()).isTrue();
    assertThat(evaluate("not(".repeat(50) + "false" + ")".repeat(50), null, null).holds())
        .isFalse();
    // brackets inside strings and backtick names do not count
    assertThat(evaluate("\"" + "(".repeat(60) + "\" != output.`[[[`", null, null).holds()).isTrue();
  }

  @Test
  void javaCannotBeReached() {
    assertThat(
            catchThrowableOfType(
                    FeelSyntaxException.class,
                    () ->
                        FeelCondition.parse(
                            "function(x) external {java: {class: \"java.lang.System\", method"
                                + " signature: \"exit(int)\"}}"))
                .detail())
        .startsWith("External functions are disabled.");
    assertThat(evaluate("output.getClass() != null", OUTPUT, INPUT).problem())
        .contains("No function found with name 'getClass' and 0 parameters");
    assertThat(evaluate("process.input.hashCode() = 1", OUTPUT, INPUT).holds()).isFalse();
  }

  private static FeelCondition.Outcome outcome(boolean holds) {
    return new FeelCondition.Outcome(holds, null);
  }
}
