package dev.podflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podflow.engine.definition.DefinitionCatalog;
import dev.podflow.engine.orchestrator.OrchestratorRegistry;
import dev.podflow.store.Json;
import dev.podflow.store.agent.Agent;
import dev.podflow.store.agent.AgentDao;
import dev.podflow.testing.PodflowDatabaseExtension;
import dev.podflow.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the demo puts into a database at start (into the tenant of the keys it prints), and that a
 * restart changes nothing.
 */
@ExtendWith(PodflowDatabaseExtension.class)
class DemoSeedTest {

  @Test
  void theDemoAgentIsCreatedOnceAndAChangedProfileSurvivesARestart(TestDatabase db) {
    Demo.seedDemoAgent(db.database());
    Agent seeded = agent(db);
    assertThat(seeded.name()).isEqualTo("Demo writer");
    assertThat(seeded.persona()).contains("concise business writer");
    assertThat(seeded.model()).as("the pod's configured model").isNull();
    assertThat(seeded.orchestrator()).isEqualTo("llm-action");

    db.database()
        .jdbi()
        .useHandle(
            h ->
                h.attach(AgentDao.class)
                    .agentUpsert(
                        DemoKeys.TENANT,
                        Demo.DEMO_AGENT,
                        "My writer",
                        "You write like a pirate.",
                        "",
                        "llama3.2",
                        Json.MAPPER.createArrayNode(),
                        "llm-action",
                        null,
                        null));
    Demo.seedDemoAgent(db.database());

    assertThat(agent(db).persona()).isEqualTo("You write like a pirate.");
    assertThat(agent(db).model()).isEqualTo("llama3.2");
  }

  @Test
  void samplesArePublishedOnceAndAllParse(TestDatabase db) {
    Demo.publishSamples(db.database());
    Demo.publishSamples(db.database());

    DefinitionCatalog catalog =
        new DefinitionCatalog(db.database().jdbi(), OrchestratorRegistry.discover());
    var threeStep = catalog.latest(DemoKeys.TENANT, Demo.THREE_STEP);
    assertThat(threeStep.version()).isEqualTo(1);
    assertThat(threeStep.definition().activities())
        .extracting(a -> a.id() + ":" + a.orchestrator())
        .containsExactly("draft:llm-action", "review:human", "finalise:llm-action");
    assertThat(threeStep.definition().activities().get(1).config().path("assignee").asText())
        .isEqualTo(Demo.REVIEWER);
    assertThat(catalog.latest(DemoKeys.TENANT, "greet").version()).isEqualTo(1);
    assertThat(catalog.latest(DemoKeys.TENANT, "research").version()).isEqualTo(1);
    assertThat(db.number("SELECT count(*) FROM proc_def WHERE tenant_id = 'demo'"))
        .isEqualTo(Demo.SAMPLES.size());
  }

  @Test
  void aDataDirectoryFromBeforeTenantsGetsTheSamplesAndTheAgentInTheDemosTenant(TestDatabase db) {
    // What an earlier demo left: everything in tenant default (V13 moved it there).
    DefinitionCatalog catalog =
        new DefinitionCatalog(db.database().jdbi(), OrchestratorRegistry.discover());
    catalog.publish(
        "default",
        "test",
        Json.parse(
            "{\"id\":\"greet\",\"activities\":[{\"id\":\"old\",\"orchestrator\":\"noop\"}]}"));
    catalog.publish(
        "default",
        "test",
        Json.parse(
            "{\"id\":\"greet\",\"activities\":[{\"id\":\"older\",\"orchestrator\":\"noop\"}]}"));

    Demo.seedDemoAgent(db.database());
    Demo.publishSamples(db.database());

    assertThat(agent(db).name()).isEqualTo("Demo writer");
    assertThat(catalog.latest(DemoKeys.TENANT, "greet").version()).isEqualTo(1);
    assertThat(catalog.latest("default", "greet").version()).as("left as it was").isEqualTo(2);
    assertThat(db.number("SELECT count(*) FROM proc_def WHERE tenant_id = 'demo'"))
        .isEqualTo(Demo.SAMPLES.size());
  }

  private static Agent agent(TestDatabase db) {
    return db.database()
        .jdbi()
        .withHandle(h -> h.attach(AgentDao.class).agentGet(DemoKeys.TENANT, Demo.DEMO_AGENT))
        .orElseThrow();
  }
}
