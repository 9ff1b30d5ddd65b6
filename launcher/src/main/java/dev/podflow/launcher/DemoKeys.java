package dev.podflow.launcher;

import dev.podflow.store.Database;
import dev.podflow.store.auth.ApiKeys;
import dev.podflow.store.auth.Role;
import java.time.Clock;

/**
 * The demo's two API keys, issued fresh at every start (keys are stored hashed, so last run's
 * cannot be printed again) after revoking the ones an earlier demo issued: an admin of tenant
 * {@value #TENANT}, and the person who reviews drafts, a user whose inbox holds the review tasks.
 */
record DemoKeys(String admin, String reviewer) {
  static final String TENANT = "demo";
  static final String ADMIN_USER = "demo-admin";

  /** The actor the audit log names for the demo's own changes. */
  static final String ACTOR = "demo";

  static DemoKeys issue(Database database) {
    ApiKeys keys = new ApiKeys(database.jdbi(), Clock.systemUTC());
    keys.revokeAllOf(TENANT, ADMIN_USER, ACTOR);
    keys.revokeAllOf(TENANT, Demo.REVIEWER, ACTOR);
    return new DemoKeys(
        keys.create(TENANT, Role.ADMIN, ADMIN_USER, null, ACTOR).wholeKey(),
        keys.create(TENANT, Role.USER, Demo.REVIEWER, null, ACTOR).wholeKey());
  }

  @Override
  public String toString() {
    return "DemoKeys[<redacted>]";
  }
}
