package dev.podflow.engine.form;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.form.FormSchema.Violation;
import dev.podflow.store.Json;
import org.junit.jupiter.api.Test;

class FormSchemaTest {
  private static final JsonNode REVIEW =
      json(
          """
          {"type":"object","required":["approved"],"additionalProperties":false,
           "properties":{"approved":{"type":"boolean"},"comment":{"type":"string","maxLength":10},
                         "items":{"type":"array","items":{"$ref":"#/$defs/item"}}},
           "$defs":{"item":{"type":"integer","minimum":1}}}""");

  @Test
  void aUsableSchemaPassesTheCheck() {
    assertThat(FormSchema.check(REVIEW)).isEmpty();
    assertThat(FormSchema.check(json("{}"))).isEmpty();
  }

  @Test
  void aSchemaThatBreaksTheMetaSchemaIsRefusedWithPointers() {
    assertThat(FormSchema.check(json("{\"type\":\"objekt\"}")))
        .isNotEmpty()
        .allSatisfy(v -> assertThat(v.pointer()).isEqualTo("/type"));
    assertThat(FormSchema.check(json("{\"properties\":{\"a\":{\"minLength\":-1}}}")))
        .extracting(Violation::pointer)
        .contains("/properties/a/minLength");
    assertThat(FormSchema.check(json("[1]"))).extracting(Violation::pointer).containsExactly("");
  }

  @Test
  void refsOutsideTheFormAreRefusedWithoutTouchingTheNetwork() {
    assertThat(FormSchema.check(json("{\"$ref\":\"http://127.0.0.1:9/evil.json\"}")))
        .singleElement()
        .satisfies(v -> assertThat(v.message()).contains("cannot be loaded"));
    assertThat(FormSchema.check(json("{\"$ref\":\"#/$defs/missing\"}"))).isNotEmpty();
  }

  @Test
  void answersAreValidatedWithPointersIntoTheAnswer() {
    assertThat(FormSchema.validate(REVIEW, json("{\"approved\":true,\"items\":[1,2]}"))).isEmpty();
    assertThat(
            FormSchema.validate(
                REVIEW, json("{\"comment\":\"far too long here\",\"items\":[0],\"x\":1}")))
        .extracting(Violation::pointer)
        .containsExactly("", "", "/comment", "/items/0");
  }

  private static JsonNode json(String text) {
    return Json.parse(text);
  }
}
