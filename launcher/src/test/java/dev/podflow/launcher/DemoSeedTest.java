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

/** What the demo puts into a database at start, and that a restart changes nothing. */
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
                        Demo.DEMO_AGENT,
                        "My writer",
                        "You write like a pirate.",
                        "",
                        "llama3.2",
                        Json.MAPPER.createArrayNode(),
                        "llm-action"));
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
    var threeStep = catalog.latest(Demo.THREE_STEP);
    assertThat(threeStep.version()).isEqualTo(1);
    assertThat(threeStep.definition().activities())
        .extracting(a -> a.id() + ":" + a.orchestrator())
        .containsExactly("draft:llm-action", "review:human", "finalise:llm-action");
    assertThat(threeStep.definition().activities().get(1).config().path("assignee").asText())
        .isEqualTo(Demo.REVIEWER);
    assertThat(catalog.latest("greet").version()).isEqualTo(1);
    assertThat(catalog.latest("research").version()).isEqualTo(1);
    assertThat(db.number("SELECT count(*) FROM proc_def")).isEqualTo(Demo.SAMPLES.size());
  }

  private static Agent agent(TestDatabase db) {
    return db.database()
        .jdbi()
        .withHandle(h -> h.attach(AgentDao.class).agentGet(Demo.DEMO_AGENT))
        .orElseThrow();
  }
}
