package dev.podflow.engine.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.EngineFixture;
import dev.podflow.engine.definition.InvalidDefinitionException;
import dev.podflow.engine.form.FormSchema;
import dev.podflow.engine.queue.ClaimedTask;
import dev.podflow.store.Json;
import dev.podflow.store.task.TaskStatus;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A definition's {@code inputSchema}: checked against its meta-schema at publish, and every start's
 * input against it before anything is written, whichever way the start comes (the starter, a
 * sub-process).
 */
@ExtendWith(PodflowDatabaseExtension.class)
class InputSchemaTest {
  private static final String ANNOUNCE =
      """
      {"id":"announce","inputSchema":{"type":"object","required":["topic"],
        "properties":{"topic":{"type":"string","minLength":1,"title":"Topic"},
                      "words":{"type":"integer","minimum":10}}},
       "activities":[{"id":"a","orchestrator":"noop"}]}""";

  @Test
  void aSchemaThatIsNoJsonSchemaOrNotOfAnObjectIsRefusedAtPublish(TestDatabase testDb) {
    EngineFixture f = new EngineFixture(testDb);

    assertThat(refused(f, "{\"type\":\"object\",\"properties\":{\"topic\":{\"type\":\"strin\"}}}"))
        .extracting(InvalidDefinitionException.Violation::pointer)
        .isNotEmpty()
        .allMatch(pointer -> pointer.startsWith("/inputSchema/properties/topic/type"));
    assertThat(refused(f, "{\"type\":\"string\"}"))
        .extracting(InvalidDefinitionException.Violation::pointer)
        .containsExactly("/inputSchema/type");
    assertThat(refused(f, "{\"properties\":{}}"))
        .as("an object must be said")
        .extracting(InvalidDefinitionException.Violation::pointer)
        .containsExactly("/inputSchema/type");
    assertThat(refused(f, "[1]"))
        .extracting(InvalidDefinitionException.Violation::pointer)
        .containsExactly("/inputSchema");
    assertThat(refused(f, "{\"type\":\"object\",\"$ref\":\"http://127.0.0.1:9/evil.json\"}"))
        .extracting(InvalidDefinitionException.Violation::message)
        .anyMatch(message -> message.contains("cannot be loaded"));
    assertThat(testDb.number("SELECT count(*) FROM proc_def")).isZero();
  }

  @Test
  void aPublishedSchemaIsStoredWithTheVersionAndADefinitionWithoutOneHasNone(TestDatabase testDb) {
    EngineFixture f = new EngineFixture(testDb);
    f.catalog.publish(StartCommand.DEFAULT_TENANT, "test", Json.parse(ANNOUNCE));
    f.catalog.publish(
        StartCommand.DEFAULT_TENANT,
        "test",
        Json.parse("{\"id\":\"plain\",\"activities\":[{\"id\":\"a\",\"orchestrator\":\"noop\"}]}"));

    assertThat(
            testDb.text(
                "SELECT definition -> 'inputSchema' -> 'properties' -> 'topic' ->> 'title'"
                    + " FROM proc_def WHERE id = 'announce'"))
        .isEqualTo("Topic");
    assertThat(
            testDb.number(
                "SELECT count(*) FROM proc_def WHERE definition -> 'inputSchema' IS NOT NULL"))
        .as("stored as before without one")
        .isEqualTo(1);
    assertThat(f.catalog.latest(StartCommand.DEFAULT_TENANT, "plain").definition().inputSchema())
        .isNull();
  }

  @Test
  void anInputThatBreaksTheSchemaIsRefusedWithPointersAndNothingIsWritten(TestDatabase testDb) {
    EngineFixture f = new EngineFixture(testDb);
    f.catalog.publish(StartCommand.DEFAULT_TENANT, "test", Json.parse(ANNOUNCE));

    InvalidProcessInputException e =
        catchThrowableOfType(
            InvalidProcessInputException.class,
            () -> f.start("announce", Json.parse("{\"words\":\"many\"}")));
    assertThat(e.violations())
        .extracting(FormSchema.Violation::pointer)
        .containsExactly("", "/words");
    assertThat(e.getMessage()).contains("definition 'announce' version 1").contains("/input/words");
    assertThat(
            catchThrowableOfType(
                    InvalidProcessInputException.class,
                    () -> f.start("announce", Json.parse("{\"topic\":\"\",\"words\":3}")))
                .violations())
        .extracting(FormSchema.Violation::pointer)
        .containsExactly("/topic", "/words");
    assertNothingWritten(testDb);

    UUID started = f.start("announce", Json.parse("{\"topic\":\"hours\",\"extra\":true}"));
    assertThat(f.instanceStatus(started)).isEqualTo("RUNNING");
  }

  @Test
  void aRepeatOfAStartMadeBeforeAStricterVersionAnswersThatStart(TestDatabase testDb) {
    EngineFixture f = new EngineFixture(testDb);
    f.catalog.publish(
        StartCommand.DEFAULT_TENANT,
        "test",
        Json.parse(
            "{\"id\":\"announce\",\"activities\":[{\"id\":\"a\",\"orchestrator\":\"noop\"}]}"));
    JsonNode input = Json.parse("{\"words\":20}");
    StartResult first = f.engine.starter().start(keyed(input, "k1"));
    f.catalog.publish(StartCommand.DEFAULT_TENANT, "test", Json.parse(ANNOUNCE));

    StartResult repeat = f.engine.starter().start(keyed(input, "k1"));
    assertThat(repeat.created()).isFalse();
    assertThat(repeat.instance().id()).isEqualTo(first.instance().id());
    assertThatThrownBy(() -> f.engine.starter().start(keyed(input, "k2")))
        .isInstanceOf(InvalidProcessInputException.class);
    assertThat(testDb.number("SELECT count(*) FROM bpm_proc_inst")).isEqualTo(1);
  }

  @Test
  void aSubprocessWhoseInputBreaksTheSchemaIsNotStarted(TestDatabase testDb) {
    EngineFixture f = new EngineFixture(testDb);
    f.catalog.publish(StartCommand.DEFAULT_TENANT, "test", Json.parse(ANNOUNCE));
    f.catalog.publish(
        StartCommand.DEFAULT_TENANT,
        "test",
        Json.parse(
            "{\"id\":\"parent\",\"activities\":[{\"id\":\"p\",\"orchestrator\":\"noop\"}]}"));
    f.start("parent", Json.object());
    ClaimedTask claimed = f.claimNext("pod").orElseThrow();

    assertThatThrownBy(
            () ->
                f.engine
                    .suspensions()
                    .startSubprocess(claimed.task(), "announce", null, Json.parse("{\"words\":5}")))
        .isInstanceOf(InvalidProcessInputException.class);
    assertThat(testDb.number("SELECT count(*) FROM bpm_proc_inst")).isEqualTo(1);
    assertThat(f.task(claimed.task().id()).status())
        .as("the parent's task is not parked")
        .isEqualTo(TaskStatus.IN_PROGRESS);
  }

  private static List<InvalidDefinitionException.Violation> refused(
      EngineFixture f, String schema) {
    String definition =
        "{\"id\":\"d\",\"inputSchema\":"
            + schema
            + ",\"activities\":[{\"id\":\"a\",\"orchestrator\":\"noop\"}]}";
    return catchThrowableOfType(
            InvalidDefinitionException.class,
            () -> f.catalog.publish(StartCommand.DEFAULT_TENANT, "test", Json.parse(definition)))
        .violations();
  }

  private static StartCommand keyed(JsonNode input, String key) {
    return new StartCommand("announce", input, key, null, StartCommand.DEFAULT_TENANT, null);
  }

  private static void assertNothingWritten(TestDatabase testDb) {
    assertThat(testDb.number("SELECT count(*) FROM bpm_proc_inst")).isZero();
    assertThat(testDb.number("SELECT count(*) FROM todolist")).isZero();
    assertThat(testDb.number("SELECT count(*) FROM events")).isZero();
  }
}
