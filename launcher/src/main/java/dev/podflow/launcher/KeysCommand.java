package dev.podflow.launcher;

import dev.podflow.store.Database;
import dev.podflow.store.DatabaseConfig;
import dev.podflow.store.auth.ApiKey;
import dev.podflow.store.auth.ApiKeys;
import dev.podflow.store.auth.ApiKeys.IssuedKey;
import dev.podflow.store.auth.Role;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./podflow keys create|list|revoke}: the operator's hands on {@link ApiKeys} in {@code
 * DATABASE_URL}. Only {@code create} prints a secret, once, to standard output; nothing is logged.
 * {@code create} and {@code revoke} record their change in the key's tenant's audit log as {@code
 * cli}; {@code create --user} also records the user ({@link ApiKeys#create}).
 */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    synopsisSubcommandLabel = "COMMAND",
    commandListHeading = "%nCommands:%n",
    description = {
      "create, list and revoke API keys in DATABASE_URL",
      "A key authenticates callers of the API as one role in one tenant. Its secret is shown once,"
          + " by 'keys create'; the database keeps only its SHA-256."
    })
final class KeysCommand {
  private static final String WITHOUT_DATABASE_URL =
      "'./podflow keys' works on the database in DATABASE_URL only, not on the demo's embedded"
          + " PostgreSQL";
  private static final Clock CLOCK = Clock.systemUTC();

  /**
   * The actor the audit log names for these commands: an operator on the machine, with the
   * database's credentials rather than an API credential.
   */
  static final String ACTOR = "cli";

  private final Settings settings;
  @Spec private CommandSpec spec;

  KeysCommand(Settings settings) {
    this.settings = settings;
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "create a key and print it, the only time it is shown",
        "The key is the last word of the last line."
      })
  int create(
      @Option(
              names = "--tenant",
              required = true,
              paramLabel = "TENANT",
              converter = KeyArguments.TenantId.class,
              description = "the tenant the key acts in; created if it does not exist yet")
          String tenant,
      @Option(
              names = "--role",
              required = true,
              paramLabel = "ROLE",
              converter = KeyArguments.RoleName.class,
              completionCandidates = KeyArguments.RoleNames.class,
              description =
                  "${COMPLETION-CANDIDATES}, each including the one before it: a user starts"
                      + " processes and works on its own, an operator reads and runs everything"
                      + " of its tenant, an admin also manages definitions, agents and keys")
          Role role,
      @Option(
              names = "--user",
              paramLabel = "NAME",
              converter = KeyArguments.UserName.class,
              description =
                  "the person the key acts for, recorded as a user of the tenant with the key's"
                      + " role: its notifications go to its devices and email address (default: no"
                      + " one in particular)")
          String user,
      @Option(
              names = "--expires-in",
              paramLabel = "DURATION",
              converter = KeyArguments.ExpiresIn.class,
              description = "30d, 12h, 90m, 45s or ISO-8601 like P30D (default: never expires)")
          Duration expiresIn) {
    Instant expiresAt = expiresIn == null ? null : CLOCK.instant().plus(expiresIn);
    IssuedKey issued = withKeys(keys -> keys.create(tenant, role, user, expiresAt, ACTOR));
    ApiKey key = issued.key();
    PrintWriter out = out();
    out.println("podflow: created API key " + key.id());
    out.println("  tenant:  " + key.tenantId());
    out.println("  role:    " + key.role().wireName());
    out.println("  user:    " + orDash(key.user()));
    out.println("  expires: " + (key.expiresAt() == null ? "never" : time(key.expiresAt())));
    out.println("The key is shown only this once (Podflow keeps only a hash of it); store it now.");
    out.println("key: " + issued.wholeKey());
    return 0;
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "list every key, newest first, without secrets")
  int list() {
    List<ApiKey> keys = withKeys(ApiKeys::list);
    if (keys.isEmpty()) {
      out().println("podflow: no API keys yet ('./podflow keys create' makes one)");
      return 0;
    }
    Instant now = CLOCK.instant();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"ID", "TENANT", "ROLE", "USER", "CREATED", "EXPIRES", "STATE"});
    for (ApiKey key : keys) {
      rows.add(
          new String[] {
            key.id(),
            key.tenantId(),
            key.role().wireName(),
            orDash(key.user()),
            time(key.createdAt()),
            key.expiresAt() == null ? "never" : time(key.expiresAt()),
            state(key, now)
          });
    }
    printTable(rows);
    return 0;
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "revoke a key: from now on it authenticates no one",
      exitCodeListHeading = "%nExit status:%n",
      exitCodeList = {
        "0:revoked now, or revoked before",
        "1:no key with this id",
        "2:usage error, or the database failed"
      })
  int revoke(
      @Parameters(paramLabel = "ID", description = "the key's id (pfk_…), as 'keys list' shows it")
          String id) {
    Optional<String> outcome = withKeys(keys -> revoke(keys, id));
    if (outcome.isEmpty()) {
      spec.commandLine().getErr().println("podflow: no API key with id " + id);
      return Podflow.EXIT_NOT_FOUND;
    }
    out().println("podflow: " + outcome.get());
    return 0;
  }

  /** What revoking did, or empty when there is no such key. */
  private static Optional<String> revoke(ApiKeys keys, String id) {
    // ApiKeys.revoke keeps the first revocation's time and does not say whether it was this one.
    Optional<ApiKey> before = keys.find(id);
    if (before.isPresent() && before.get().revokedAt() != null) {
      return Optional.of(
          describe(before.get()) + " was already revoked at " + time(before.get().revokedAt()));
    }
    return keys.revoke(id, ACTOR).map(key -> describe(key) + " is revoked");
  }

  private static String describe(ApiKey key) {
    return "API key "
        + key.id()
        + " (tenant "
        + key.tenantId()
        + ", role "
        + key.role().wireName()
        + (key.user() == null ? "" : ", user " + key.user())
        + ")";
  }

  private <T> T withKeys(Function<ApiKeys, T> work) {
    DatabaseConfig config = settings.database(WITHOUT_DATABASE_URL).withPool(2, "podflow-keys");
    try (Database database = MigratedDatabase.connect(config, Duration.ZERO)) {
      return work.apply(new ApiKeys(database.jdbi(), CLOCK));
    }
  }

  private static String state(ApiKey key, Instant now) {
    if (key.revokedAt() != null) return "revoked";
    return key.activeAt(now) ? "active" : "expired";
  }

  private void printTable(List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) widths[i] = Math.max(widths[i], row[i].length());
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(
            i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
      }
      out().println(line);
    }
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }

  private static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String orDash(String text) {
    return text == null ? "-" : text;
  }
}
