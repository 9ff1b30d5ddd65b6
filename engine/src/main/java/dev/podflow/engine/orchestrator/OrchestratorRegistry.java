package dev.podflow.engine.orchestrator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The orchestrators a pod can run, by name. Immutable; thread-safe. */
public final class OrchestratorRegistry {
  private final Map<String, Orchestrator> byName;

  public OrchestratorRegistry(List<Orchestrator> orchestrators) {
    Map<String, Orchestrator> map = new TreeMap<>();
    for (Orchestrator o : orchestrators) {
      Orchestrator previous = map.putIfAbsent(o.name(), o);
      if (previous != null) {
        throw new IllegalArgumentException(
            "two orchestrators are named '"
                + o.name()
                + "': "
                + previous.getClass().getName()
                + " and "
                + o.getClass().getName());
      }
    }
    this.byName = Map.copyOf(map);
  }

  /**
   * Every {@link Orchestrator} on the class path ({@code META-INF/services}), built-ins included.
   */
  public static OrchestratorRegistry discover() {
    return new OrchestratorRegistry(
        ServiceLoader.load(Orchestrator.class).stream().map(ServiceLoader.Provider::get).toList());
  }

  /**
   * This registry plus {@code more}: for orchestrators that need configuration (an LLM endpoint, a
   * database) and so are built by the launcher rather than found by {@link #discover()}.
   */
  public OrchestratorRegistry with(List<Orchestrator> more) {
    List<Orchestrator> all = new ArrayList<>(byName.values());
    all.addAll(more);
    return new OrchestratorRegistry(all);
  }

  public Optional<Orchestrator> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The known names, sorted, for error messages and logs. */
  public String names() {
    return byName.keySet().stream().sorted().collect(Collectors.joining(", "));
  }

  public boolean knows(String name) {
    return byName.containsKey(name);
  }
}
