package dev.podflow.store.user;

import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The people of each tenant ({@code users}, V27): recorded with their roles by the keys issued to
 * them and by their first request to an API process, their profile set through the API. SQL lives
 * in {@code UserDao/*.sql}.
 */
@RegisterRowMapper(UserMapper.class)
public interface UserDao {

  /**
   * Makes sure tenant {@code tenantId} and its user {@code userId} exist, with {@code role} (a wire
   * name) among the user's roles; writes nothing when they do already.
   */
  @SqlUpdate
  void userAddRole(
      @Bind("tenantId") String tenantId, @Bind("userId") String userId, @Bind("role") String role);

  @SqlQuery
  Optional<User> userGet(@Bind("tenantId") String tenantId, @Bind("userId") String userId);

  /**
   * Sets the email address when {@code setEmail} and the display name when {@code setDisplayName}
   * (null clears either), leaving the other as it is; the user as it is now.
   */
  @SqlQuery
  Optional<User> userUpdateProfile(
      @Bind("tenantId") String tenantId,
      @Bind("userId") String userId,
      @Bind("setEmail") boolean setEmail,
      @Bind("email") String email,
      @Bind("setDisplayName") boolean setDisplayName,
      @Bind("displayName") String displayName);
}
