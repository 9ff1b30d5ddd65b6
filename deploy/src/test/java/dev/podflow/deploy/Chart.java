package dev.podflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** helm/podflow rendered through helm-java as release {@value #RELEASE}, as parsed objects. */
final class Chart {
  static final Path DIR = Tools.ROOT.resolve("helm/podflow");
  static final String RELEASE = "pf";
  static final YAMLMapper YAML = new YAMLMapper();
  private static final Pattern HOOK = Pattern.compile("(?m)^\\s*helm\\.sh/hook: .*\\n");

  private final List<JsonNode> objects;

  private Chart(List<JsonNode> objects) {
    this.objects = objects;
  }

  /** {@code helm template pf helm/podflow --set key=value …}. */
  static Chart render(Map<String, Object> values) throws IOException {
    return render(DIR, values);
  }

  /**
   * The chart with its hooks, which helm-java's template leaves out: rendered from a copy in {@code
   * copy} whose templates lack their {@code helm.sh/hook} annotations.
   */
  static Chart renderHooks(Path copy, Map<String, Object> values) throws IOException {
    try (Stream<Path> files = Files.walk(DIR)) {
      for (Path file : files.toList()) {
        Path target = copy.resolve(DIR.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          String text = Files.readString(file);
          Files.writeString(
              target, file.toString().endsWith(".yaml") ? HOOK.matcher(text).replaceAll("") : text);
        }
      }
    }
    return render(copy, values);
  }

  private static Chart render(Path chart, Map<String, Object> values) throws IOException {
    TemplateCommand template = new Helm(chart).template().withName(RELEASE);
    values.forEach(template::set);
    List<JsonNode> objects = new ArrayList<>();
    try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(template.call())) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && doc.has("kind")) objects.add(doc);
      }
    }
    return new Chart(objects);
  }

  List<JsonNode> all(String kind) {
    return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
  }

  JsonNode one(String kind, String name) {
    return all(kind).stream()
        .filter(o -> o.at("/metadata/name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new NoSuchElementException("no " + kind + " " + name + " rendered"));
  }

  /** The first container of a Deployment's or a Job's pod template. */
  static JsonNode container(JsonNode deployment) {
    return deployment.at("/spec/template/spec/containers/0");
  }

  /** A plain env value of a container. */
  static String env(JsonNode container, String name) {
    for (JsonNode e : container.path("env")) {
      if (e.path("name").asText().equals(name)) return e.path("value").asText();
    }
    throw new NoSuchElementException(name + " is not set on container " + container.path("name"));
  }
}
