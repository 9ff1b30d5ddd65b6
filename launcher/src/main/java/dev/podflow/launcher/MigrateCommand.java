package dev.podflow.launcher;

import dev.podflow.store.Database;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./podflow migrate}: brings {@code DATABASE_URL}'s schema up to this build's. */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description = {
      "apply the database migrations to DATABASE_URL, then exit",
      "Safe to run from many places at once."
    })
final class MigrateCommand implements Callable<Integer> {
  private final Settings settings;
  @Spec private CommandSpec spec;

  MigrateCommand(Settings settings) {
    this.settings = settings;
  }

  @Override
  public Integer call() {
    try (Database database = Database.connect(settings.database().withPool(2, "podflow-migrate"))) {
      int applied = database.migrate();
      spec.commandLine()
          .getOut()
          .println("podflow: database is up to date (" + applied + " migration(s) applied now)");
    }
    return 0;
  }
}
