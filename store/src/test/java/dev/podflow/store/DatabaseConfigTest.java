package dev.podflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.podflow.store.access.DatabaseRole;
import org.junit.jupiter.api.Test;

class DatabaseConfigTest {

  @Test
  void postgresUrlBecomesJdbcWithDecodedCredentials() {
    DatabaseConfig c =
        DatabaseConfig.fromUrl(
            "postgres://app%40corp:p%3Ass@db.example:6543/flows?sslmode=require");
    assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/flows?sslmode=require");
    assertThat(c.user()).isEqualTo("app@corp");
    assertThat(c.password()).isEqualTo("p:ss");
  }

  @Test
  void defaultsPortAndDatabase() {
    DatabaseConfig c = DatabaseConfig.fromUrl("postgresql://u@localhost");
    assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/postgres");
    assertThat(c.password()).isNull();
  }

  @Test
  void jdbcUrlIsTakenAsItIs() {
    assertThat(DatabaseConfig.fromUrl("jdbc:postgresql://h:5432/d?user=x").jdbcUrl())
        .isEqualTo("jdbc:postgresql://h:5432/d?user=x");
  }

  @Test
  void otherSchemesAreRefusedWithTheExpectedForm() {
    assertThatThrownBy(() -> DatabaseConfig.fromUrl("mysql://h/d"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("postgres://user:password@host:5432/database");
    assertThatThrownBy(() -> DatabaseConfig.fromUrl(" "))
        .isInstanceOf(InvalidConfigurationException.class);
  }

  @Test
  void passwordsNeverShowInToString() {
    assertThat(DatabaseConfig.fromUrl("postgres://u:topsecret@h/d").toString())
        .doesNotContain("topsecret");
    assertThat(DatabaseConfig.redact("jdbc:postgresql://h/d?user=u&password=topsecret"))
        .doesNotContain("topsecret");
  }

  @Test
  void behindAPoolerSessionsGoStraightToPostgresWithThePoolsRoleAndSize() {
    DatabaseConfig pooled =
        DatabaseConfig.fromUrl("postgres://u@bouncer:6432/podflow_pod")
            .behindPooler(DatabaseConfig.fromUrl("postgres://u:pw@db:5432/podflow"))
            .withRole(DatabaseRole.POD)
            .withPool(3, "pod");
    assertThat(pooled.pooled()).isTrue();
    DatabaseConfig session = pooled.session();
    assertThat(session.pooled()).isFalse();
    assertThat(session.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/podflow");
    assertThat(session.password()).isEqualTo("pw");
    assertThat(session.role()).isEqualTo(DatabaseRole.POD);
    assertThat(session.maxPoolSize()).isEqualTo(3);
    assertThat(pooled.toString()).contains("pooled").doesNotContain("pw");
  }

  @Test
  void theDirectUrlsErrorsNameItsVariable() {
    assertThatThrownBy(() -> DatabaseConfig.fromUrl("mysql://h/d", "PODFLOW_DIRECT_DATABASE_URL"))
        .hasMessageStartingWith("PODFLOW_DIRECT_DATABASE_URL must look like");
  }
}
