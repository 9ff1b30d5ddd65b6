package dev.podflow.store.access;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.spi.JdbiPlugin;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.transaction.TransactionHandler;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * Installed instead of {@link TenantSessionPlugin} on a {@link DatabaseRole#API} pool behind a
 * transaction pooler (PgBouncer in transaction mode), where each transaction of a pooled connection
 * may reach another server session, so a session setting would stay behind for someone else's
 * transaction. Here every statement runs in a transaction that first says {@code SET LOCAL
 * podflow.tenant} (the tenant bound by {@link TenantScope}, '' when none), which ends with it.
 *
 * <p>A handle's statements outside an explicit transaction share one, begun by the first of them
 * and committed when the handle closes (rolled back if a statement in it failed). {@code SET LOCAL}
 * rather than {@code set_config}: a query would take the transaction's snapshot, after which {@code
 * SET TRANSACTION ISOLATION LEVEL} is refused. Jdbi's own isolation levels are session settings
 * ({@code SET SESSION CHARACTERISTICS}) that would leak to other clients: nothing on such a pool
 * may ask for one. Jdbi's handle sets the level before it reaches this plugin, so the refusal below
 * comes after that one leaked statement; it makes the mistake fail loudly in every test that runs
 * through a pooler.
 */
public final class TenantTransactionPlugin implements JdbiPlugin {

  @Override
  public void customizeJdbi(Jdbi jdbi) {
    jdbi.setTransactionHandler(new TenantTransactions(jdbi.getTransactionHandler()));
  }

  @Override
  public Handle customizeHandle(Handle handle) {
    handle.setStatementBuilder(new StatementsInTransaction(handle, handle.getStatementBuilder()));
    return handle;
  }

  /** Sets the tenant as each transaction begins. */
  private record TenantTransactions(TransactionHandler delegate) implements TransactionHandler {
    @Override
    public TransactionHandler specialize(Handle handle) throws SQLException {
      return new TenantTransactions(delegate.specialize(handle));
    }

    @Override
    public void begin(Handle handle) {
      boolean beginning = !delegate.isInTransaction(handle);
      delegate.begin(handle);
      if (beginning) setTenant(handle.getConnection());
    }

    private static void setTenant(Connection connection) {
      String tenant = TenantScope.current().orElse("");
      try (Statement statement = connection.createStatement()) {
        // SET takes no parameters; tenant ids are [A-Za-z0-9_.-] (ApiKeys), quoted all the same.
        statement.execute("SET LOCAL podflow.tenant = '" + tenant.replace("'", "''") + "'");
      } catch (SQLException e) {
        throw new IllegalStateException("cannot set the transaction's tenant", e);
      }
    }

    @Override
    public void commit(Handle handle) {
      delegate.commit(handle);
    }

    @Override
    public void rollback(Handle handle) {
      delegate.rollback(handle);
    }

    @Override
    public boolean isInTransaction(Handle handle) {
      return delegate.isInTransaction(handle);
    }

    @Override
    public void savepoint(Handle handle, String name) {
      delegate.savepoint(handle, name);
    }

    @Override
    public void rollbackToSavepoint(Handle handle, String name) {
      delegate.rollbackToSavepoint(handle, name);
    }

    @Override
    public void releaseSavepoint(Handle handle, String name) {
      delegate.releaseSavepoint(handle, name);
    }

    @Override
    public <R, X extends Exception> R inTransaction(Handle handle, HandleCallback<R, X> callback)
        throws X {
      return delegate.inTransaction(handle, callback);
    }

    @Override
    public <R, X extends Exception> R inTransaction(
        Handle handle, TransactionIsolationLevel level, HandleCallback<R, X> callback) {
      throw new UnsupportedOperationException(
          "behind a transaction pooler an isolation level is set inside the transaction: run"
              + " SET TRANSACTION ISOLATION LEVEL first in an inTransaction without one");
    }
  }

  /** Begins the handle's transaction, if it has none, before any statement is made. */
  private record StatementsInTransaction(Handle handle, StatementBuilder delegate)
      implements StatementBuilder {

    private void inTransaction() {
      if (handle.isInTransaction()) return;
      handle.begin();
      handle.addCleanable(this::end);
    }

    /** Ends the transaction {@link #inTransaction} began, as the handle closes. */
    private void end() throws SQLException {
      if (!handle.isInTransaction()) return;
      BaseConnection connection = handle.getConnection().unwrap(BaseConnection.class);
      if (connection.getTransactionState() == TransactionState.FAILED) handle.rollback();
      else handle.commit();
    }

    @Override
    public Statement create(Connection connection, StatementContext context) throws SQLException {
      inTransaction();
      return delegate.create(connection, context);
    }

    @Override
    public PreparedStatement create(Connection connection, String sql, StatementContext context)
        throws SQLException {
      inTransaction();
      return delegate.create(connection, sql, context);
    }

    @Override
    public CallableStatement createCall(Connection connection, String sql, StatementContext context)
        throws SQLException {
      inTransaction();
      return delegate.createCall(connection, sql, context);
    }

    @Override
    public void close(Connection connection, String sql, Statement statement) throws SQLException {
      delegate.close(connection, sql, statement);
    }

    @Override
    public void close(Connection connection) {
      delegate.close(connection);
    }
  }
}
