package dev.podflow.store;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Publishes a pool's {@code hikaricp_connections_*} meters (active, idle, pending, max, timeouts,
 * acquire time), tagged {@code pool} with its pool name: what the dashboard's database panel and
 * the pool-exhaustion alert read.
 */
public final class PoolMetrics {
  private PoolMetrics() {}

  /** Once per pool: Hikari refuses a second tracker. */
  public static void bind(Database database, MeterRegistry registry) {
    ((HikariDataSource) database.dataSource())
        .setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
  }
}
