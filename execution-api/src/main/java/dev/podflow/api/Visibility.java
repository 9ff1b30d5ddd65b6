package dev.podflow.api;

import dev.podflow.api.auth.Principal;
import dev.podflow.engine.instance.ProcessNotFoundException;
import dev.podflow.engine.suspension.TaskNotFoundException;
import dev.podflow.store.instance.InstanceDao;
import dev.podflow.store.instance.ProcessInstance;
import dev.podflow.store.task.Task;
import dev.podflow.store.task.TaskDao;
import java.util.UUID;
import java.util.function.BiPredicate;
import org.jdbi.v3.core.Handle;

/**
 * Looks up what a request names, as its caller may see it ({@link Principal#maySee}): another
 * tenant's instance or task, or one a {@code user} did not start or is not assigned, answers 404
 * exactly like one that does not exist, so nothing is revealed.
 */
final class Visibility {
  private Visibility() {}

  static ProcessInstance instance(Handle h, UUID id, Principal principal) {
    return h.attach(InstanceDao.class)
        .instanceGet(id)
        .filter(principal::maySee)
        .orElseThrow(() -> new ProcessNotFoundException(id));
  }

  static Task task(Handle h, long id, Principal principal) {
    return task(h, id, (task, instance) -> principal.maySee(task, instance));
  }

  /**
   * A task the caller may rate: one it may see ({@link #task}), or any task of an instance it
   * started (the agent's answer to the process a user started is that user's to judge).
   */
  static Task taskToRate(Handle h, long id, Principal principal) {
    return task(
        h, id, (task, instance) -> principal.maySee(task, instance) || principal.maySee(instance));
  }

  private static Task task(Handle h, long id, BiPredicate<Task, ProcessInstance> visible) {
    return h.attach(TaskDao.class)
        .taskGet(id)
        .filter(
            task ->
                h.attach(InstanceDao.class)
                    .instanceGet(task.procInstId())
                    .filter(instance -> visible.test(task, instance))
                    .isPresent())
        .orElseThrow(() -> new TaskNotFoundException(id));
  }
}
