package dev.podflow.chaos;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a chaos run: the injuries made and what the database said afterwards.
 *
 * @param pods pod processes kept running
 * @param seconds how long processes were started and injuries made
 * @param started acknowledged starts
 * @param completed work instances COMPLETED with every task DONE once
 * @param deadByDesign poison instances in ERROR
 * @param lost acknowledged work not finished as designed (missing, ERROR, unfinished)
 * @param duplicated tasks completed twice, activities queued twice, instances finished twice
 * @param stuck tasks left PENDING, IN_PROGRESS, FAILED or WAITING
 * @param kills pods SIGKILLed (each replaced)
 * @param backendTerminations {@code pg_terminate_backend} rounds
 * @param backendsTerminated backends terminated over all rounds
 * @param pgRestarts PostgreSQL restarts
 * @param rescued {@code task_lease_expired} events
 * @param podExits pods that exited on their own during the run (replaced)
 * @param stalledPods live pods that claimed no task of the recovery probe
 * @param sigtermExitCodes each pod's exit code on the final SIGTERM (-1: had to be SIGKILLed)
 * @param instancesByStatus the run's instances per status
 * @param problems concrete findings; empty on a clean run
 * @param pass the verdict
 * @param summaryLine the one line the harness prints
 */
public record ChaosResult(
    int pods,
    long seconds,
    long started,
    long completed,
    long deadByDesign,
    long lost,
    long duplicated,
    long stuck,
    int kills,
    int backendTerminations,
    long backendsTerminated,
    int pgRestarts,
    long rescued,
    int podExits,
    List<String> stalledPods,
    Map<String, Integer> sigtermExitCodes,
    Map<String, Long> instancesByStatus,
    List<String> problems,
    boolean pass,
    String summaryLine) {

  public String verdict() {
    return pass ? "PASS" : "FAIL";
  }
}
