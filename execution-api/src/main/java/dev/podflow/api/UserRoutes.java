package dev.podflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podflow.api.auth.Access;
import dev.podflow.api.auth.AuthGuard;
import dev.podflow.api.auth.Principal;
import dev.podflow.store.Json;
import dev.podflow.store.audit.AuditAction;
import dev.podflow.store.audit.AuditDao;
import dev.podflow.store.auth.Role;
import dev.podflow.store.user.Device;
import dev.podflow.store.user.DeviceDao;
import dev.podflow.store.user.User;
import dev.podflow.store.user.UserDao;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The people of a tenant and their devices (issue 16). {@code GET /api/v1/users/{id}} reads a user,
 * {@code PUT …} sets its email address (where the notifier sends email) and display name; {@code
 * POST …/devices} registers a device token it receives pushes on (201; the token registered before,
 * by whoever: moved to this user and active again, 200), {@code GET …/devices} lists them, {@code
 * DELETE …/devices/{token}} removes one. Users are recorded by the keys issued to them and by their
 * first request ({@code KnownUsers}); the API creates none.
 *
 * <p>Every route takes any role and acts on the caller's own user, or, for an admin, on any user of
 * its tenant ({@link #user}). Changes are recorded in the audit log in their transaction; device
 * tokens are shown by their last {@value DeviceDao#TOKEN_END} characters only, in answers and in
 * the log.
 */
final class UserRoutes {
  static final String ME = "/api/v1/me";
  static final String USERS = "/api/v1/users";
  static final String USER = USERS + "/{id}";
  static final String DEVICES = USER + "/devices";
  static final String DEVICE = DEVICES + "/{token}";

  static final int EMAIL_LIMIT = 320;
  static final int DISPLAY_NAME_LIMIT = 200;
  static final int TOKEN_LIMIT = 4_096;

  /** The most active devices a user has: past it registering one more is refused. */
  static final int DEVICE_LIMIT = 100;

  /** A mailbox: local part and domain (RFC 5321's lengths), no spaces, one {@code @}. */
  private static final Pattern EMAIL =
      Pattern.compile("[^@\\s\\p{Cntrl}]{1,64}@[^@\\s\\p{Cntrl}]{1,255}");

  /** What a token may hold: no whitespace, no control character, no slash (it is named in URLs). */
  private static final Pattern TOKEN = Pattern.compile("[^\\s\\p{Cntrl}/]{1," + TOKEN_LIMIT + "}");

  private static final Set<String> PLATFORMS = Set.of("android", "ios", "web");
  private static final Set<String> PROFILE_FIELDS = Set.of("email", "displayName");
  private static final Set<String> DEVICE_FIELDS = Set.of("token", "platform");
  private static final Logger LOG = LoggerFactory.getLogger(UserRoutes.class);

  private final Jdbi jdbi;

  UserRoutes(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** A device as the API shows it: the token's last characters, never the whole token. */
  record DeviceView(
      String tokenEnd,
      String platform,
      Instant registeredAt,
      Instant retiredAt,
      String retiredReason,
      Instant lastSentAt) {
    static DeviceView of(Device device) {
      return new DeviceView(
          UserRoutes.tokenEnd(device.token()),
          device.platform(),
          device.createdAt(),
          device.retiredAt(),
          device.retiredReason(),
          device.lastSentAt());
    }
  }

  /** A user's devices, newest first; a user has at most {@link #DEVICE_LIMIT} active ones. */
  record DeviceList(List<DeviceView> devices) {}

  void register(RoutesConfig routes) {
    routes.get(ME, this::me, Access.USER);
    routes.get(USER, this::get, Access.USER);
    routes.put(USER, this::put, Access.USER);
    routes.post(DEVICES, this::addDevice, Access.USER);
    routes.get(DEVICES, this::listDevices, Access.USER);
    routes.delete(DEVICE, this::deleteDevice, Access.USER);
  }

  /**
   * User {@code id} of the caller's tenant, if the caller may act for it: its own user, or any as
   * an admin. Another user answers 404 to anyone else, exactly as an unknown one does, so whom a
   * tenant has is not revealed.
   */
  static User user(Handle h, Principal principal, String id) {
    boolean mayAct = id.equals(principal.user()) || principal.role().includes(Role.ADMIN);
    Optional<User> user =
        mayAct ? h.attach(UserDao.class).userGet(principal.tenantId(), id) : Optional.empty();
    return user.orElseThrow(
        () ->
            new ProblemException(
                ProblemType.USER_NOT_FOUND,
                "no user "
                    + Problems.echo(id)
                    + " this caller may see (a user sees itself, an admin every user of its"
                    + " tenant)"));
  }

  /**
   * Who the credential acts as: its tenant, user (null for a key issued to no one), role and the
   * actor name events record. What the console shows and decides its controls by.
   */
  record Me(String tenantId, String user, String role, String actor) {}

  private void me(Context ctx) {
    Principal principal = AuthGuard.principal(ctx);
    ctx.json(
        new Me(
            principal.tenantId(),
            principal.user(),
            principal.role().wireName(),
            principal.actor()));
  }

  private void get(Context ctx) {
    Principal principal = AuthGuard.principal(ctx);
    ctx.json(jdbi.withHandle(h -> user(h, principal, ctx.pathParam("id"))));
  }

  private void put(Context ctx) {
    Principal principal = AuthGuard.principal(ctx);
    String id = ctx.pathParam("id");
    jdbi.useHandle(h -> user(h, principal, id));
    ObjectNode body = JsonBody.object(ctx, BodyLimit.PROFILE);
    List<Problems.FieldError> errors = new ArrayList<>();
    BodyFields.refuseUnknown(body, PROFILE_FIELDS, errors);
    String email = BodyFields.text(body, "email", false, EMAIL_LIMIT, errors);
    if (email != null && !EMAIL.matcher(email).matches()) {
      errors.add(
          new Problems.FieldError(
              "/email", "must be an email address such as ada@example.com, or null for none"));
    }
    String displayName = BodyFields.text(body, "displayName", false, DISPLAY_NAME_LIMIT, errors);
    if (displayName != null && displayName.isBlank()) {
      errors.add(new Problems.FieldError("/displayName", "must not be blank; null for none"));
    }
    if (!errors.isEmpty()) throw new InvalidBodyException(ProblemType.INVALID_USER, "user", errors);
    ArrayNode fields = Json.MAPPER.createArrayNode();
    PROFILE_FIELDS.stream().filter(body::has).sorted().forEach(fields::add);
    if (fields.isEmpty()) {
      ctx.json(jdbi.withHandle(h -> user(h, principal, id)));
      return;
    }
    User updated =
        jdbi.inTransaction(
            h -> {
              user(h, principal, id);
              User after =
                  h.attach(UserDao.class)
                      .userUpdateProfile(
                          principal.tenantId(),
                          id,
                          body.has("email"),
                          email,
                          body.has("displayName"),
                          displayName == null ? null : displayName.strip())
                      .orElseThrow();
              // Which fields changed, not their values: an email address is personal data.
              audit(
                  h, principal, AuditAction.USER_UPDATED, id, Json.object().set("fields", fields));
              return after;
            });
    LOG.info(
        "execution-api - user {} of tenant {}: {} set",
        id,
        principal.tenantId(),
        fields.toString());
    ctx.json(updated);
  }

  private void addDevice(Context ctx) {
    Principal principal = AuthGuard.principal(ctx);
    String id = ctx.pathParam("id");
    jdbi.useHandle(h -> user(h, principal, id));
    ObjectNode body = JsonBody.object(ctx, BodyLimit.DEVICE);
    List<Problems.FieldError> errors = new ArrayList<>();
    BodyFields.refuseUnknown(body, DEVICE_FIELDS, errors);
    String token = BodyFields.text(body, "token", true, TOKEN_LIMIT, errors);
    if (token != null && !TOKEN.matcher(token).matches()) {
      errors.add(
          new Problems.FieldError(
              "/token", "must hold no whitespace, control character or '/': a device token"));
    }
    String platform = BodyFields.text(body, "platform", true, Integer.MAX_VALUE, errors);
    if (platform != null && !PLATFORMS.contains(platform)) {
      errors.add(new Problems.FieldError("/platform", "must be one of " + sorted(PLATFORMS)));
    }
    if (!errors.isEmpty()) {
      throw new InvalidBodyException(ProblemType.INVALID_DEVICE, "device", errors);
    }
    String tenantId = principal.tenantId();
    Device.Registered registered =
        jdbi.inTransaction(
            h -> {
              user(h, principal, id);
              DeviceDao devices = h.attach(DeviceDao.class);
              if (devices.deviceCountActiveOthers(tenantId, id, token) >= DEVICE_LIMIT) {
                throw new InvalidBodyException(
                    ProblemType.INVALID_DEVICE,
                    "device",
                    "/token",
                    "the user has "
                        + DEVICE_LIMIT
                        + " active devices, the most it may have; delete one first");
              }
              Device.Registered done = devices.deviceRegister(token, id, platform);
              audit(
                  h,
                  principal,
                  AuditAction.DEVICE_REGISTERED,
                  id,
                  describe(done.device()).put("new", done.created()));
              return done;
            });
    LOG.info(
        "execution-api - device …{} ({}) {} user {} of tenant {}",
        tokenEnd(token),
        platform,
        registered.created() ? "registered for" : "moved to",
        id,
        tenantId);
    ctx.status(registered.created() ? HttpStatus.CREATED : HttpStatus.OK)
        .json(DeviceView.of(registered.device()));
  }

  private void listDevices(Context ctx) {
    Principal principal = AuthGuard.principal(ctx);
    String id = ctx.pathParam("id");
    List<Device> devices =
        jdbi.withHandle(
            h -> {
              user(h, principal, id);
              return h.attach(DeviceDao.class).deviceList(principal.tenantId(), id);
            });
    ctx.json(new DeviceList(devices.stream().map(DeviceView::of).toList()));
  }

  private void deleteDevice(Context ctx) {
    Principal principal = AuthGuard.principal(ctx);
    String id = ctx.pathParam("id");
    String token = ctx.pathParam("token");
    int deleted =
        jdbi.inTransaction(
            h -> {
              user(h, principal, id);
              List<Device> gone =
                  h.attach(DeviceDao.class).deviceDelete(principal.tenantId(), id, token);
              if (gone.isEmpty()) {
                throw new ProblemException(
                    ProblemType.DEVICE_NOT_FOUND,
                    "user "
                        + Problems.echo(id)
                        + " has no device whose token is, or ends with, "
                        + Problems.echo(token));
              }
              for (Device device : gone) {
                audit(h, principal, AuditAction.DEVICE_DELETED, id, describe(device));
              }
              return gone.size();
            });
    LOG.info(
        "execution-api - {} device(s) of user {} of tenant {} deleted",
        deleted,
        id,
        principal.tenantId());
    NoContent.answer(ctx);
  }

  private static void audit(
      Handle h, Principal principal, AuditAction action, String userId, JsonNode details) {
    h.attach(AuditDao.class)
        .record(principal.tenantId(), principal.actor(), action, userId, details);
  }

  /** An audit entry's details of a device: its platform and the end of its token. */
  private static ObjectNode describe(Device device) {
    return Json.object()
        .put("platform", device.platform())
        .put("tokenEnd", tokenEnd(device.token()));
  }

  private static String tokenEnd(String token) {
    return token.substring(Math.max(0, token.length() - DeviceDao.TOKEN_END));
  }

  private static List<String> sorted(Set<String> names) {
    return names.stream().sorted().toList();
  }
}
