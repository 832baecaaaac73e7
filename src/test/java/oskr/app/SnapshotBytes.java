package oskr.app;

import oskr.core.App;
import oskr.core.Bytes;

/** Tests only: the whole encoding of a small snapshot as one array, to compare or restore. */
public final class SnapshotBytes {
  private SnapshotBytes() {}

  public static Bytes of(App.Snapshot snapshot) {
    return snapshot.read(0, Math.toIntExact(snapshot.size()));
  }
}
