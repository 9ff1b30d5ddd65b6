package dev.podflow.engine.orchestrator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Orchestrators by name: every plug-in on the class path ({@link #discover()}) for the API, which
 * checks definitions against them, and for a pod, which {@link #start}s and runs them. Immutable;
 * thread-safe.
 */
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
   * Every {@link Orchestrator} on the class path ({@code META-INF/services}), each a new instance.
   */
  public static OrchestratorRegistry discover() {
    return new OrchestratorRegistry(
        ServiceLoader.load(Orchestrator.class).stream().map(ServiceLoader.Provider::get).toList());
  }

  /**
   * These orchestrators only, for a pod that runs some of them.
   *
   * @throws IllegalArgumentException for a name this registry does not know
   */
  public OrchestratorRegistry only(Collection<String> names) {
    List<Orchestrator> chosen = new ArrayList<>();
    for (String name : names) {
      chosen.add(
          find(name)
              .orElseThrow(() -> new IllegalArgumentException("no orchestrator named " + name)));
    }
    return new OrchestratorRegistry(chosen);
  }

  /** Starts every orchestrator with the pod's services ({@link Orchestrator#start}). */
  public void start(PodServices services) {
    byName.values().forEach(o -> o.start(services));
  }

  public Optional<Orchestrator> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The known names, sorted, for error messages and logs. */
  public String names() {
    return String.join(", ", sortedNames());
  }

  /** The known names, sorted. */
  public List<String> sortedNames() {
    return List.copyOf(new TreeMap<>(byName).keySet());
  }

  public boolean knows(String name) {
    return byName.containsKey(name);
  }
}
