package dev.podflow.api.auth;

import dev.podflow.store.auth.ApiKey;
import dev.podflow.store.auth.Role;
import dev.podflow.store.instance.ProcessInstance;
import dev.podflow.store.task.Task;

/**
 * Who sent a request, once its credentials checked out: the tenant it acts in, the person it acts
 * for ({@code user}, null for a key issued to no one), its role, and {@code actor}, the name that
 * events and audit entries record ({@code key:pfk_…} or {@code jwt:<subject>}), never a secret.
 */
public record Principal(String tenantId, String user, Role role, String actor) {

  static Principal of(ApiKey key) {
    return new Principal(key.tenantId(), key.user(), key.role(), "key:" + key.id());
  }

  /** The name a started instance records as its initiator: the user, else the actor. */
  public String initiator() {
    return user != null ? user : actor;
  }

  /**
   * Whether the instance is this caller's to see: of its tenant and, for a {@code user}, one it
   * started. What a caller may not see answers as if it did not exist.
   */
  public boolean maySee(ProcessInstance instance) {
    return instance.tenantId().equals(tenantId)
        && (role.includes(Role.OPERATOR) || initiator().equals(instance.initiator()));
  }

  /**
   * Whether the task (of {@code instance}) is this caller's to see and answer: of its tenant and,
   * for a {@code user}, assigned to it.
   */
  public boolean maySee(Task task, ProcessInstance instance) {
    return instance.tenantId().equals(tenantId)
        && (role.includes(Role.OPERATOR) || (user != null && user.equals(task.assignee())));
  }
}
