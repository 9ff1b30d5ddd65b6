package dev.podflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.store.Json;
import dev.podflow.testing.Definitions;
import dev.podflow.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./podflow publish}, as the Helm chart's hook Job runs it on every install and upgrade: a
 * directory of definitions into a tenant, each stored once until it changes.
 */
class PublishCommandTest {
  private final TestDatabase testDb = TestDatabase.shared();
  private final Map<String, String> env = Map.of("DATABASE_URL", testDb.url());
  private final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);

  @Test
  void publishesEachDefinitionOnceAndANewVersionOnlyWhenItChanged(@TempDir Path dir)
      throws Exception {
    Files.writeString(
        dir.resolve("a.json"), Json.MAPPER.writeValueAsString(definition("a", "noop")));
    Files.writeString(
        dir.resolve("b.json"), Json.MAPPER.writeValueAsString(definition("b", "noop")));
    Files.writeString(dir.resolve("notes.txt"), "not a definition");

    CommandRun first = CommandRun.run(env, "publish", "--tenant", tenant, dir.toString());
    assertThat(first.status()).as(first.err()).isZero();
    assertThat(first.out())
        .contains(tenant + "/a version 1 published", tenant + "/b version 1 published");

    Files.writeString(
        dir.resolve("b.json"), Json.MAPPER.writeValueAsString(definition("b", "noop", "noop")));
    CommandRun again = CommandRun.run(env, "publish", "--tenant", tenant, dir.toString());
    assertThat(again.status()).as(again.err()).isZero();
    assertThat(again.out()).contains(tenant + "/a unchanged", tenant + "/b version 2 published");
    assertThat(testDb.number("SELECT count(*) FROM proc_def WHERE tenant_id = '" + tenant + "'"))
        .isEqualTo(3);
  }

  @Test
  void aFileThatIsNotJsonStopsWithItsName(@TempDir Path dir) throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.json"), "{ not json");
    CommandRun run = CommandRun.run(env, "publish", broken.toString());
    assertThat(run.status()).isEqualTo(Podflow.EXIT_FAILED);
    assertThat(run.err()).contains("cannot read the definition " + broken);
  }

  private static ObjectNode definition(String id, String... orchestrators) {
    return Definitions.linear(id, orchestrators);
  }
}
