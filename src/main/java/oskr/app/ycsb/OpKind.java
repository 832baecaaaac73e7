package oskr.app.ycsb;

import oskr.app.YcsbOp;

/** YCSB's operation types, named as its reports print them. */
public enum OpKind {
  READ("READ"),
  UPDATE("UPDATE"),
  INSERT("INSERT"),
  SCAN("SCAN"),
  READ_MODIFY_WRITE("READ-MODIFY-WRITE");

  private final String ycsbName;

  OpKind(String ycsbName) {
    this.ycsbName = ycsbName;
  }

  public String ycsbName() {
    return ycsbName;
  }

  /** The kind of {@code op}. */
  public static OpKind of(YcsbOp op) {
    return switch (op) {
      case YcsbOp.Read _ -> READ;
      case YcsbOp.Update _ -> UPDATE;
      case YcsbOp.Insert _ -> INSERT;
      case YcsbOp.Scan _ -> SCAN;
      case YcsbOp.ReadModifyWrite _ -> READ_MODIFY_WRITE;
    };
  }

  /** The column prefix in CSV and JSON output: {@code read}, {@code read_modify_write}. */
  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
