package oskr.app.ycsb;

/**
 * YCSB's {@code Utils.fnvhash64}: FNV-1a over the 8 bytes of a long, low byte first, made positive.
 */
final class Fnv {
  private Fnv() {}

  static final long OFFSET_BASIS_64 = 0xCBF29CE484222325L;
  static final long PRIME_64 = 1099511628211L;

  static long hash64(long value) {
    long hash = OFFSET_BASIS_64;
    long rest = value;
    for (int i = 0; i < 8; i++) {
      long octet = rest & 0x00ff;
      rest = rest >> 8;
      hash = hash ^ octet;
      hash = hash * PRIME_64;
    }
    return Math.abs(hash);
  }
}
