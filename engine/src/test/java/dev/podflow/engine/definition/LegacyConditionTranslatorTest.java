package dev.podflow.engine.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.migrations.LegacyConditionTranslator;
import dev.podflow.store.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The migration's translation of the first condition language to FEEL ({@link
 * LegacyConditionTranslator}, run by {@code V7__Conditions_in_feel}) takes the transitions the old
 * conditions took. The expected results are the old language's, from its own tests; the FEEL text
 * is evaluated by {@link FeelCondition} as the engine does. (Before the old evaluator was deleted,
 * 100,000 random conditions over random data agreed with it but for the corners the translator
 * documents.)
 */
class LegacyConditionTranslatorTest {
  private static final JsonNode OUTPUT =
      Json.parse(
          """
          {"score": 0.8, "count": 3, "approved": true, "rejected": false, "one": 1, "word": "yes",
           "name": "Ada", "nothing": null, "items": [{"name": "first"}, {"name": "second"}],
           "tags": ["a", "b"], "nested": {"a": [1, 2.0]}, "0": "zero", "a-b": "dash"}""");
  private static final JsonNode INPUT =
      Json.parse("{\"tier\": \"gold\", \"limit\": 10, \"flags\": {\"vip\": true}}");

  /** Whether the translated condition takes its transition. */
  private static boolean holds(String old, JsonNode output, JsonNode input) {
    String feel = LegacyConditionTranslator.toFeel(old);
    return FeelCondition.parse(feel).evaluate(new ConditionScope(output, input, Map.of())).holds();
  }

  /** The cases of the old language's own test, with the results it expected. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '`',
      value = {
        // literals and truthiness: only boolean true holds
        "true => true",
        "false => false",
        "null => false",
        "1 => false",
        "'yes' => false",
        "output.approved => true",
        "output.rejected => false",
        "output.one => false",
        "output.word => false",
        "output.items => false",
        "output.missing => false",
        "process.input.flags.vip => true",
        // equality is JSON equality, numbers by value
        "output.count == 3 => true",
        "output.count == 3.0 => true",
        "output.one == 1.0 => true",
        "1 == 1.0 => true",
        "1e2 == 100 => true",
        "-1 == -1.00 => true",
        "output.score == 0.8 => true",
        "output.count != 3 => false",
        "output.word == 'yes' => true",
        "output.word == \"yes\" => true",
        "output.word == 'Yes' => false",
        "output.count == '3' => false",
        "output.approved == true => true",
        "output.approved == 'true' => false",
        "output.nothing == null => true",
        "output.missing == null => true",
        "output.missing.deeper.still == null => true",
        "output.word.length == null => true",
        "output.items.5.name == null => true",
        "output.items.0.name == 'first' => true",
        "output.items.1.name == 'second' => true",
        "output.a-b == 'dash' => true",
        "output.nested.a.1 == 2 => true",
        "output.missing != null => false",
        // ordering: numbers and strings only
        "output.score > 0.5 => true",
        "output.score >= 0.8 => true",
        "output.score < 0.8 => false",
        "output.score <= 0.8 => true",
        "output.count > 2.99 => true",
        "-5 < -4 => true",
        "process.input.limit >= 10 => true",
        "'apple' < 'banana' => true",
        "'b' > 'abc' => true",
        "'B' < 'a' => true",
        "output.name >= 'Ada' => true",
        "output.count < '4' => false",
        "output.count > '2' => false",
        "'10' < 9 => false",
        "output.missing < 1 => false",
        "output.missing > 1 => false",
        "output.missing >= null => false",
        "true > false => false",
        "output.items > output.tags => false",
        // logic, precedence and parentheses
        "true || false && false => true",
        "(true || false) && false => false",
        "false && true || true => true",
        "false && (true || true) => false",
        "!false => true",
        "!true => false",
        "!!true => true",
        "!output.missing => true",
        "!output.word => true",
        "!(output.count == 3) => false",
        "!output.rejected && output.approved => true",
        "!(output.approved && output.rejected) => true",
        "output.score > 0.5 && process.input.tier == 'gold' => true",
        "output.score > 0.9 || process.input.tier == 'gold' && output.count == 3 => true",
        "output.score > 0.9 || process.input.tier == 'silver' && output.count == 3 => false",
        "(output.score > 0.9 || process.input.tier == 'gold') && output.count == 4 => false",
        "  ( ( output.approved ) )  => true",
        "'say \\'hi\\'' == \"say 'hi'\" => true",
      })
  void takesTheTransitionsTheOldConditionTook(String old, boolean expected) {
    assertThat(holds(old, OUTPUT, INPUT))
        .as(old + " as " + LegacyConditionTranslator.toFeel(old))
        .isEqualTo(expected);
  }

  /**
   * Where a natural translation would go wrong: FEEL's not(x) and != are null (no transition) for a
   * missing value or values of different types, where the old ones were true.
   */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '`',
      value = {
        "!output.approved => true",
        "!output.missing => true",
        "!output.word => true",
        "!output.count => true",
        "!!output.word => false",
        "output.count != 3 => true",
        "output.count != '3' => false",
        "output.word != 1 => true",
        "output.missing != 'x' => true",
        "!(output.missing < 1) => true",
        "!(output.count > 1) => true",
        "!(output.missing == 1 && output.word) => true",
        "!(output.word || output.missing) => true",
        "(output.missing < 1) == false => true",
        "(!output.word) == true => true",
        "(output.word && true) != true => true",
        "output.word == 'yes' => true",
        "output.count == '3' => true",
        "output.count == 3 => false",
        "output.word => false",
        "output.word && true => false",
        "output.word || true => true",
        "output.flag || output.missing => false",
      })
  void decidesLikeTheOldLanguageWhenValuesAreMissingOrOfAnotherType(String old, boolean expected) {
    JsonNode output = Json.parse("{\"word\": \"yes\", \"count\": \"3\", \"flag\": 1}");
    assertThat(holds(old, output, null))
        .as(old + " as " + LegacyConditionTranslator.toFeel(old))
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '`',
      value = {
        "output.score >= 0.8 && process.input.tier != 'trial' => output.score >= 0.8 and"
            + " (process.input.tier = \"trial\") != true",
        "output.approved => output.approved = true",
        "!output.approved => (output.approved = true) != true",
        "output.text != null => output.text != null",
        "!(output.count == 3) => (output.count = 3) != true",
        "(output.a || output.b) && !output.c => (output.a = true or output.b = true) and (output.c"
            + " = true) != true",
        "output.items.0.name == 'first' => output.items[1].name = \"first\"",
        "output.a-b == \"x\" || output.if == output._y9 => output.`a-b` = \"x\" or output.`if` ="
            + " output._y9",
        "output.n >= -1.5E+1 && output.n < 1e2 => output.n >= -15 and output.n < 100",
        "'say \\'hi\\'' == output.s => \"say 'hi'\" = output.s",
        "'back\\\\slash' == output.s => \"back\\\\slash\" = output.s",
        "'a \"q\" b' == output.s => (\"a \" + \"\\\"\" + \"q\" + \"\\\"\" + \" b\") = output.s",
        "true => true",
        "process.input == null => process.input = null",
      })
  void writesReadableFeel(String old, String feel) {
    assertThat(LegacyConditionTranslator.toFeel(old)).isEqualTo(feel);
    FeelCondition.parse(feel); // and FEEL reads it
  }

  @Test
  void stringsKeepTheirValue() {
    JsonNode output =
        Json.object()
            .put("quote", "say \"hi\"")
            .put("slash", "a\\b")
            .put("slashQuote", "b\\\"q")
            .put("slashN", "a\\nb")
            .put("lines", "one\ntwo\tthree")
            .put("unicode", "Ä€");
    for (String old :
        new String[] {
          "output.quote == 'say \"hi\"'",
          "output.quote == \"say \\\"hi\\\"\"",
          "output.slash == 'a\\\\b'",
          "output.slashQuote == 'b\\\\\"q'",
          "output.slashN == 'a\\\\nb'",
          "output.lines == 'one\\ntwo\\tthree'",
          "output.unicode == '\\u00c4\\u20ac'",
          "output.unicode == 'Ä€'",
          "'\\/' == '/'",
        }) {
      assertThat(holds(old, output, null))
          .as(old + " as " + LegacyConditionTranslator.toFeel(old))
          .isTrue();
    }
  }

  @Test
  void theCornersWhereFeelReadsPathsDifferently() {
    // an all-digit segment is a list index, also on an object (the old language read field "0")
    assertThat(LegacyConditionTranslator.toFeel("output.0 == 'zero'"))
        .isEqualTo("output[1] = \"zero\"");
    assertThat(holds("output.0 == 'zero'", OUTPUT, INPUT)).isFalse();
    // a name after a list collects the items' fields (the old language gave null)
    assertThat(holds("output.items.name == null", OUTPUT, INPUT)).isFalse();
    // FEEL 1.21 fails a condition that orders two non-empty lists (the old language: false)
    assertThat(
            FeelCondition.parse(LegacyConditionTranslator.toFeel("!(output.tags < output.tags)"))
                .evaluate(new ConditionScope(OUTPUT, INPUT, Map.of()))
                .problem())
        .contains("can not be compared");
  }

  @Test
  void textTheOldLanguageRefusedIsRefused() {
    for (String bad : new String[] {"score > 1", "output.a = 1", "output.a == 'open", "(true"}) {
      assertThatThrownBy(() -> LegacyConditionTranslator.toFeel(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a condition of the old language");
    }
  }
}
