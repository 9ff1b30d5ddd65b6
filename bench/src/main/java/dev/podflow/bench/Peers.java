package dev.podflow.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.podflow.store.DatabaseConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.common.SqlStorageProviderFactory;

/**
 * The peers a user would pick instead, draining {@code n} pre-inserted no-op jobs on the same
 * PostgreSQL (a fresh database each) with {@code p} workers, measured like Podflow: jobs / (last
 * job's end − first job's start), plus a check that every job ran and the queue is empty.
 *
 * <p>db-scheduler 16.12.0: one scheduler with {@code threads(p)}, or p schedulers with one thread
 * each, {@code pollUsingLockAndFetch(0.5, 1.0)} (its recommended lock-and-fetch: claims up to as
 * many executions as it has threads per {@code UPDATE … SKIP LOCKED}, fetches again when half are
 * done), polling interval 100 ms, one-time tasks (a completed one is deleted). JobRunr 8.7.0: a
 * BackgroundJobServer with {@code p} workers and its smallest allowed poll interval (5 s; an idle
 * worker onboards new work at once anyway), jobs enqueued in bulk through {@code
 * JobScheduler.enqueue(Stream, …)} before the server starts.
 */
public final class Peers {
  /** What a peer's drain measured. */
  record Result(long jobs, double seconds, long left) {
    double perSecond() {
      return jobs / seconds;
    }
  }

  private static final AtomicLong RUN = new AtomicLong();
  private static final AtomicLong FIRST_NANOS = new AtomicLong();
  private static final AtomicLong LAST_NANOS = new AtomicLong();

  private Peers() {}

  /** The no-op job both peers run: counts itself and notes when it ran. */
  public static void noop() {
    long now = System.nanoTime();
    FIRST_NANOS.compareAndSet(0, now);
    LAST_NANOS.accumulateAndGet(now, Math::max);
    RUN.incrementAndGet();
  }

  private static void resetCounters() {
    RUN.set(0);
    FIRST_NANOS.set(0);
    LAST_NANOS.set(0);
  }

  /**
   * db-scheduler with {@code schedulers} schedulers of {@code threadsEach} threads, each scheduler
   * with its own pool, as Podflow's pods each have theirs: 1 × P is the shape of Podflow's 1 pod ×
   * P slots (one fetch serves P threads), P × 1 the shape of P pods × 1 slot.
   *
   * @param vacuum whether {@code scheduled_tasks} gets the upkeep Podflow's pods give their queue
   *     table ({@link VacuumAlongside})
   */
  static Result dbScheduler(
      BenchDatabase bench, int jobs, int schedulers, int threadsEach, boolean vacuum)
      throws Exception {
    DatabaseConfig config = bench.fresh();
    List<HikariDataSource> pools = new ArrayList<>();
    List<Scheduler> running = new ArrayList<>();
    try (HikariDataSource ds = pool(config, 2, "db-scheduler-setup")) {
      execute(
          ds,
          """
          CREATE TABLE scheduled_tasks (
            task_name text NOT NULL,
            task_instance text NOT NULL,
            task_data bytea,
            execution_time timestamp with time zone NOT NULL,
            picked boolean NOT NULL,
            picked_by text,
            last_success timestamp with time zone,
            last_failure timestamp with time zone,
            consecutive_failures int,
            last_heartbeat timestamp with time zone,
            version bigint NOT NULL,
            priority smallint,
            PRIMARY KEY (task_name, task_instance)
          );
          CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
          CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
          CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);
          """);
      execute(
          ds,
          "INSERT INTO scheduled_tasks (task_name, task_instance, execution_time, picked, version)"
              + " SELECT 'bench-noop', i::text, now() - interval '1 second', false, 1"
              + " FROM generate_series(1, "
              + jobs
              + ") AS i");
      execute(ds, "VACUUM ANALYZE scheduled_tasks");
      bench.checkpoint();
      resetCounters();
      OneTimeTask<Void> noop = Tasks.oneTime("bench-noop").execute((instance, ctx) -> noop());
      for (int i = 0; i < schedulers; i++) {
        HikariDataSource own = pool(config, threadsEach + 2, "db-scheduler-" + i);
        pools.add(own);
        running.add(
            Scheduler.create(own, noop)
                .schedulerName(new SchedulerName.Fixed("bench-" + i))
                .threads(threadsEach)
                .pollingInterval(Duration.ofMillis(100))
                .pollUsingLockAndFetch(0.5, 1.0)
                .build());
      }
      VacuumAlongside upkeep = vacuum ? VacuumAlongside.start(config, "scheduled_tasks") : null;
      running.forEach(Scheduler::start);
      try {
        awaitRuns(jobs);
        awaitZero(ds, "SELECT count(*) FROM scheduled_tasks");
      } finally {
        running.forEach(Scheduler::stop);
        if (upkeep != null) upkeep.close();
      }
      return new Result(RUN.get(), seconds(), count(ds, "SELECT count(*) FROM scheduled_tasks"));
    } finally {
      pools.forEach(HikariDataSource::close);
    }
  }

  static Result jobRunr(BenchDatabase bench, int jobs, int workers) throws Exception {
    DatabaseConfig config = bench.fresh();
    try (HikariDataSource ds = pool(config, workers + 4, "jobrunr")) {
      StorageProvider storage = SqlStorageProviderFactory.using(ds);
      try {
        JobScheduler scheduler =
            JobRunr.configure()
                .useStorageProvider(storage)
                .useBackgroundJobServer(
                    BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                        .andWorkerCount(workers)
                        .andPollInterval(Duration.ofSeconds(5)),
                    false)
                .initialize()
                .getJobScheduler();
        scheduler.enqueue(IntStream.range(0, jobs).boxed(), i -> Peers.noop());
        execute(ds, "VACUUM ANALYZE");
        bench.checkpoint();
        resetCounters();
        JobRunr.getBackgroundJobServer().start();
        awaitRuns(jobs);
        awaitZero(
            ds, "SELECT count(*) FROM jobrunr_jobs WHERE state IN ('ENQUEUED', 'PROCESSING')");
        return new Result(
            RUN.get(),
            seconds(),
            count(
                ds, "SELECT count(*) FROM jobrunr_jobs WHERE state IN ('ENQUEUED', 'PROCESSING')"));
      } finally {
        JobRunr.destroy();
      }
    }
  }

  private static double seconds() {
    return (LAST_NANOS.get() - FIRST_NANOS.get()) / 1e9;
  }

  private static void awaitRuns(long jobs) {
    long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
    while (RUN.get() < jobs) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(RUN.get() + " of " + jobs + " jobs ran");
      }
      PodflowDrain.sleep(20);
    }
  }

  private static void awaitZero(DataSource ds, String sql) throws SQLException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (count(ds, sql) > 0 && System.nanoTime() < deadline) PodflowDrain.sleep(50);
  }

  static HikariDataSource pool(DatabaseConfig config, int size, String name) {
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(config.jdbcUrl());
    if (config.user() != null) hikari.setUsername(config.user());
    if (config.password() != null) hikari.setPassword(config.password());
    hikari.setMaximumPoolSize(size);
    hikari.setPoolName("bench-" + name);
    return new HikariDataSource(hikari);
  }

  private static void execute(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static long count(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement();
        var rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
