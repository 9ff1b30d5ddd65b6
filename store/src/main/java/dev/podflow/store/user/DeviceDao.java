package dev.podflow.store.user;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The devices users receive pushes on ({@code device_tokens}; recipient = the user's id), as the
 * API registers, lists and deletes them. SQL lives in {@code DeviceDao/*.sql}.
 */
@RegisterRowMapper(DeviceMapper.class)
@RegisterRowMapper(DeviceMapper.Registered.class)
public interface DeviceDao {

  /**
   * Registers {@code token} for {@code userId} of the connection's tenant ({@code podflow.tenant}),
   * active: a new row, or the token's row moved from whichever tenant and user had it (V28's {@code
   * podflow_device_register}).
   */
  @SqlQuery
  Device.Registered deviceRegister(
      @Bind("token") String token,
      @Bind("userId") String userId,
      @Bind("platform") String platform);

  /** How many active devices {@code userId} has, {@code token} not counted. */
  @SqlQuery
  int deviceCountActiveOthers(
      @Bind("tenantId") String tenantId,
      @Bind("userId") String userId,
      @Bind("token") String token);

  /** {@code userId}'s devices, retired ones too, newest first. */
  @SqlQuery
  List<Device> deviceList(@Bind("tenantId") String tenantId, @Bind("userId") String userId);

  /**
   * Deletes {@code userId}'s devices whose token is {@code token} or, for a {@code token} of {@link
   * #TOKEN_END} characters, ends with it; the devices deleted.
   */
  @SqlQuery
  List<Device> deviceDelete(
      @Bind("tenantId") String tenantId,
      @Bind("userId") String userId,
      @Bind("token") String token);

  /** How many last characters of a token the API shows (the rest is kept back). */
  int TOKEN_END = 8;
}
