package dev.podflow.launcher;

import dev.podflow.store.Database;
import dev.podflow.store.PoolMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * The meters every Podflow process exports besides its own: the JVM's ({@code jvm_memory_*}, {@code
 * jvm_gc_*}, {@code jvm_threads_*}, {@code process_cpu_usage}, ...) and its connection pool's
 * ({@code hikaricp_connections_*}).
 */
final class ProcessMetrics {
  private ProcessMetrics() {}

  /** Binds them; close the result when the process stops (it listens to GC notifications). */
  static AutoCloseable bind(MeterRegistry registry, Database database) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    PoolMetrics.bind(database, registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    return gc;
  }
}
