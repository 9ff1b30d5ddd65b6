package dev.podflow.engine.orchestrator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a pod's orchestrators share, one of each type per pod: made by the first plug-in that asks
 * ({@link #get}), given to every later one, and closed by the pod as it stops, after its slots have
 * ended, newest first. The {@code mcp} step and {@code llm-action} share their MCP connections this
 * way, so a pod keeps one connection per (tenant, server) and closes it once. Thread-safe.
 */
public final class PodComponents implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PodComponents.class);

  private final Map<Class<?>, Object> byType = new LinkedHashMap<>();
  private boolean closed;

  /** The pod's component of {@code type}, made with {@code make} when it has none yet. */
  public synchronized <T> T get(Class<T> type, Supplier<? extends T> make) {
    if (closed) throw new IllegalStateException("the pod has stopped");
    Object component = byType.get(type);
    if (component == null) {
      component = make.get();
      byType.put(type, component);
    }
    return type.cast(component);
  }

  /**
   * Closes every component that is {@link AutoCloseable}; one that fails does not stop the rest.
   */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    List<Object> newestFirst = new ArrayList<>(byType.values()).reversed();
    for (Object component : newestFirst) {
      if (!(component instanceof AutoCloseable closeable)) continue;
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.warn(
            "{} did not close cleanly: {}", component.getClass().getSimpleName(), e.toString());
      }
    }
    byType.clear();
  }
}
