package dev.podflow.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.store.Database;
import dev.podflow.store.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./podflow publish}: process definitions from files into a tenant (the Helm chart's). */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "publish process definitions (JSON files, or directories of *.json) into a tenant, then exit",
      "A definition whose latest version in the tenant is the same is left alone: safe on every"
          + " deploy."
    })
final class PublishCommand implements Callable<Integer> {
  private final Settings settings;
  @Spec private CommandSpec spec;

  @Option(
      names = "--tenant",
      defaultValue = "default",
      description = "the tenant the definitions belong to (default: ${DEFAULT-VALUE})")
  private String tenant;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "definition files or directories")
  private List<Path> paths;

  PublishCommand(Settings settings) {
    this.settings = settings;
  }

  @Override
  public Integer call() {
    List<Path> files = jsonFiles(paths);
    PrintWriter out = spec.commandLine().getOut();
    try (Database database = Database.connect(settings.database().withPool(2, "podflow-publish"))) {
      DefinitionPublisher publisher = new DefinitionPublisher(database);
      for (Path file : files) {
        JsonNode definition = read(file);
        String id = definition.path("id").asText();
        out.println(
            publisher
                    .publish(tenant, KeysCommand.ACTOR, definition)
                    .map(
                        p ->
                            "podflow: "
                                + tenant
                                + "/"
                                + id
                                + " version "
                                + p.version()
                                + " published")
                    .orElse("podflow: " + tenant + "/" + id + " unchanged")
                + " ("
                + file
                + ")");
      }
    }
    return 0;
  }

  /** The files named, and each directory's *.json files in name order. */
  private static List<Path> jsonFiles(List<Path> paths) {
    List<Path> files = new ArrayList<>();
    for (Path path : paths) {
      if (!Files.isDirectory(path)) {
        files.add(path);
        continue;
      }
      try (Stream<Path> listed = Files.list(path)) {
        listed
            .filter(p -> p.getFileName().toString().endsWith(".json"))
            .sorted()
            .forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + path + ": " + e.getMessage(), e);
      }
    }
    return files;
  }

  private static JsonNode read(Path file) {
    try {
      return Json.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the definition " + file + ": " + e.getMessage(), e);
    }
  }
}
