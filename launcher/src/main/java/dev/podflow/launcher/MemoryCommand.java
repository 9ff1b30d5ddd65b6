package dev.podflow.launcher;

import dev.podflow.memory.embedding.Embedder;
import dev.podflow.memory.embedding.Embedders;
import dev.podflow.store.Database;
import dev.podflow.store.DatabaseConfig;
import dev.podflow.store.memory.DocumentDao;
import dev.podflow.store.memory.MemoryDao;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./podflow memory reembed}: after the embedding model changed ({@code
 * PODFLOW_EMBEDDING_*}), marks a tenant's memories embedded by another model so that the pods embed
 * them again; recall keeps using the old embeddings until each is replaced.
 */
@Command(
    name = "memory",
    mixinStandardHelpOptions = true,
    synopsisSubcommandLabel = "COMMAND",
    commandListHeading = "%nCommands:%n",
    description = "the agents' memory in DATABASE_URL")
final class MemoryCommand {
  private static final String WITHOUT_DATABASE_URL =
      "'./podflow memory' works on the database in DATABASE_URL only, not on the demo's embedded"
          + " PostgreSQL";

  private final Settings settings;
  @Spec private CommandSpec spec;

  MemoryCommand(Settings settings) {
    this.settings = settings;
  }

  @Command(
      name = "reembed",
      mixinStandardHelpOptions = true,
      description = {
        "have the pods embed a tenant's memories again with the configured model",
        "Marks those embedded by another model (--all: every one); the pods re-embed them within"
            + " seconds."
      })
  int reembed(
      @Option(
              names = "--tenant",
              required = true,
              paramLabel = "TENANT",
              converter = KeyArguments.TenantId.class,
              description = "the tenant whose memories to embed again")
          String tenant,
      @Option(
              names = "--all",
              description = "embed every memory again, also those of the configured model")
          boolean all) {
    Embedder embedder = Embedders.fromEnvironment(settings.environment());
    DatabaseConfig config = settings.database(WITHOUT_DATABASE_URL).withPool(2, "podflow-memory");
    String model = all ? null : embedder.model();
    int memories;
    int documents;
    try (Database database = MigratedDatabase.connect(config, Duration.ZERO)) {
      memories =
          database
              .jdbi()
              .withExtension(MemoryDao.class, dao -> dao.memoryMarkForReembedding(tenant, model));
      documents =
          database
              .jdbi()
              .withExtension(
                  DocumentDao.class, dao -> dao.documentsMarkForReembedding(tenant, model));
    }
    spec.commandLine()
        .getOut()
        .println(
            "podflow: "
                + memories
                + " memories and "
                + documents
                + " documents of tenant "
                + tenant
                + " marked; the pods embed them again with "
                + embedder.model()
                + " (a document's passages are recalled again once it is READY)");
    return 0;
  }
}
