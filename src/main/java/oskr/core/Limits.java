package oskr.core;

/** Named bounds on everything that comes from peers: past one, input is dropped and counted. */
public final class Limits {
  private Limits() {}

  /** Replica indexes travel as one byte. */
  public static final int REPLICAS_MAX = 64;

  /** The largest frame any codec accepts, also after reassembly. */
  public static final int FRAME_MAX = 16 << 20;

  /** One UDP datagram's payload budget on loopback and across hosts. */
  public static final int DATAGRAM_MAX = 65_000;

  /** An operation or result carried in a request or reply. */
  public static final int OP_MAX = 1 << 20;

  /** Signatures and MACs (secp256k1 DER is at most 72 bytes). */
  public static final int SIGNATURE_MAX = 128;

  /** Clients one replica remembers in its client table. */
  public static final int CLIENTS_MAX = 1 << 20;

  /** Requests in one batch. */
  public static final int BATCH_MAX = 4096;
}
