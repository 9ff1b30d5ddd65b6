package dev.podflow.launcher;

import dev.podflow.store.PodflowException;
import java.nio.file.Path;

/** An embedded PostgreSQL already runs on a data directory, started by another process. */
public final class DataDirectoryInUseException extends PodflowException {
  DataDirectoryInUseException(Path dataDir) {
    super(
        "an embedded PostgreSQL is already running on "
            + dataDir.toAbsolutePath()
            + " (another './podflow demo'?): stop that one first, or give this one a directory of"
            + " its own with PODFLOW_DATA_DIR");
  }
}
