package dev.podflow.engine.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConditionTest {
  private static final JsonNode OUTPUT =
      Json.parse(
          """
          {"score": 0.8, "count": 3, "approved": true, "rejected": false, "one": 1, "word": "yes",
           "name": "Ada", "nothing": null, "items": [{"name": "first"}, {"name": "second"}],
           "tags": ["a", "b"], "nested": {"a": [1, 2.0]}, "0": "zero", "a-b": "dash"}""");
  private static final JsonNode INPUT =
      Json.parse("{\"tier\": \"gold\", \"limit\": 10, \"flags\": {\"vip\": true}}");

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
        "output.0 == 'zero' => true",
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
  void evaluates(String source, boolean expected) {
    assertThat(Condition.parse(source).test(OUTPUT, INPUT)).as(source).isEqualTo(expected);
  }

  @Test
  void arraysAndObjectsCompareByValueWithNumbersNormalized() {
    JsonNode output =
        Json.parse("{\"a\": [1, {\"x\": 2.0}], \"b\": [1.0, {\"x\": 2}], \"c\": [1]}");
    // paths only reach whole values through the output, so compare two paths
    assertThat(Condition.parse("output.a == output.b").test(output, null)).isTrue();
    assertThat(Condition.parse("output.a == output.c").test(output, null)).isFalse();
    assertThat(Condition.parse("output == output").test(output, null)).isTrue();
  }

  @Test
  void missingOrNullDocumentsAreNull() {
    Condition condition = Condition.parse("output.x == null && process.input == null");
    assertThat(condition.test(null, null)).isTrue();
    assertThat(condition.test(Json.parse("7"), Json.parse("null"))).isTrue();
    assertThat(Condition.parse("output == 7").test(Json.parse("7"), null)).isTrue();
  }

  @Test
  void sourceEqualityAndJson() {
    Condition a = Condition.parse("output.ok == true");
    assertThat(a.source()).isEqualTo("output.ok == true");
    assertThat(a).isEqualTo(Condition.parse("output.ok == true")).hasSameHashCodeAs(a);
    assertThat(a).isNotEqualTo(Condition.parse("output.ok==true"));
    assertThat(Json.write(a)).isEqualTo("\"output.ok == true\"");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '`',
      value = {
        "output.score > => 15 => at column 15: expected a value (a path starting with 'output' or"
            + " 'process.input', a number, a quoted string, true, false, null, '!' or '('), found"
            + " the end of the condition",
        "output.a && && output.b => 13 => at column 13: expected a value",
        "score > 1 => 1 => at column 1: unknown name 'score'; expected a path starting with 'output'"
            + " or 'process.input'",
        "output.a = 1 => 10 => at column 10: expected '==', found '=' alone",
        "output.a & output.b => 10 => at column 10: expected '&&', found '&' alone",
        "(output.a == 1 => 15 => at column 15: expected ')' to close the '(' at column 1",
        "output.a == 1) => 14 => at column 14: expected '&&', '||', a comparison operator or the end"
            + " of the condition, found ')'",
        "1 < 2 < 3 => 7 => at column 7: expected '&&', '||', ')' or the end of the condition"
            + " (comparisons do not chain",
        "output.a == 'open => 13 => at column 13: expected the closing ' of the string",
        "output. == 1 => 8 => at column 8: expected a field name or an index after '.'",
        "process.output == 1 => 1 => at column 1: expected 'process.input'",
        "output.a == 1.x => 14 => at column 14: expected digits after the decimal point",
        "output.a == 12abc => 15 => at column 15: expected an operator or space after the number",
        "output.a # 1 => 10 => at column 10: unexpected character '#'",
        "output.a output.b => 10 => at column 10: expected '&&', '||', a comparison operator or the"
            + " end of the condition, found 'output.b'",
        "'a\\q' == 'b' => 3 => at column 3: unknown escape '\\q'",
        "() => 2 => at column 2: expected a value",
      })
  void syntaxErrorsSayWhereAndWhatWasExpected(String source, int column, String detail) {
    ConditionSyntaxException e =
        catchThrowableOfType(ConditionSyntaxException.class, () -> Condition.parse(source));
    assertThat(e).as(source).isNotNull();
    assertThat(e.column()).as(source).isEqualTo(column);
    assertThat(e.detail()).as(source).startsWith(detail);
    assertThat(e.getMessage()).contains("'" + source + "'").contains(detail);
  }

  @Test
  void emptyOverlongAndTooDeepConditionsAreRejected() {
    assertThat(catchThrowableOfType(ConditionSyntaxException.class, () -> Condition.parse("  ")))
        .extracting(ConditionSyntaxException::detail)
        .isEqualTo("at column 1: expected a condition, found nothing");
    assertThat(
            catchThrowableOfType(
                    ConditionSyntaxException.class,
                    () -> Condition.parse("true || ".repeat(300) + "true"))
                .detail())
        .contains("longer than 2000 characters");
    assertThat(
            catchThrowableOfType(
                    ConditionSyntaxException.class,
                    () -> Condition.parse("(".repeat(60) + "true" + ")".repeat(60)))
                .detail())
        .isEqualTo("at column 51: nested deeper than 50 levels");
    assertThat(Condition.parse("!".repeat(50) + "true").test(null, null)).isTrue();
  }
}
