package dev.podflow.engine.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podflow.engine.queue.ClaimedTask;
import dev.podflow.engine.queue.TaskRecorder;
import dev.podflow.store.task.Task;
import java.util.List;
import java.util.Optional;

/** What an orchestrator gets to run one task. */
public record TaskContext(ClaimedTask claimed, String podId, TaskRecorder recorder) {
  /** The tenant of the task's instance: the one whose agents and definitions the task may name. */
  public String tenantId() {
    return claimed.instance().tenantId();
  }

  /** The task's input: the process input for the first activity, else the previous output. */
  public JsonNode input() {
    return claimed.task().input();
  }

  /** The activity's {@code config} object from the definition. */
  public JsonNode config() {
    return claimed.activity().config();
  }

  /**
   * The state this orchestrator saved when the task last waited ({@link AskPerson}, {@link
   * AwaitChildren}); empty on a task's first run.
   */
  public Optional<JsonNode> savedState() {
    JsonNode checkpoint = claimed.task().checkpoint();
    return checkpoint == null ? Optional.empty() : Optional.ofNullable(checkpoint.get("state"));
  }

  /** The person's answer to the question this task asked ({@link AskPerson}), once given. */
  public Optional<JsonNode> answer() {
    JsonNode checkpoint = claimed.task().checkpoint();
    return checkpoint == null ? Optional.empty() : Optional.ofNullable(checkpoint.get("answer"));
  }

  /** The child tasks this task spawned ({@link AwaitChildren}), all DONE; else empty. */
  public List<Task> children() {
    return claimed.children();
  }

  /**
   * The progress this orchestrator saved ({@link #saveProgress}) during an earlier attempt of this
   * task that did not finish (its pod died, the attempt failed); empty when there is none or it was
   * dropped (saved as JSON null).
   */
  public Optional<JsonNode> progress() {
    JsonNode checkpoint = claimed.task().checkpoint();
    JsonNode progress = checkpoint == null ? null : checkpoint.get("progress");
    return progress == null || progress.isNull() ? Optional.empty() : Optional.of(progress);
  }

  /**
   * Saves how far this attempt got, committed before it returns, so that the next attempt of the
   * task resumes there ({@link #progress()}) instead of repeating work that has effects outside.
   *
   * @throws dev.podflow.engine.StaleClaimException when this pod no longer holds the claim; nothing
   *     is written and the orchestrator should stop
   */
  public void saveProgress(JsonNode progress) {
    recorder.saveProgress(claimed.task(), progress);
  }

  /** True for a child task spawned by another task of the same activity. */
  public boolean isChild() {
    return claimed.task().parentTaskId() != null;
  }

  public int attempt() {
    return claimed.task().attempts();
  }

  /**
   * Appends an event of this task to the instance's timeline now (e.g. {@code llm_call}), visible
   * on the SSE stream at once.
   *
   * @throws dev.podflow.engine.StaleClaimException when this pod no longer holds the claim; nothing
   *     is written and the orchestrator should stop
   */
  public long recordEvent(String type, JsonNode payload) {
    return recorder.append(claimed.task(), type, payload);
  }
}
