package oskr.app.ycsb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The request distributions match YCSB's definitions, statistically over seeded draws: each
 * expected frequency within 4.5 standard deviations (a seed fixed, so a pass is stable).
 */
class KeyDistributionTest {
  private static final int DRAWS = 200_000;

  private static double zeta(long n) {
    return Zipfian.zetaStatic(0, n, Zipfian.THETA, 0);
  }

  private static void assertFrequency(long count, double p, String what) {
    double sigma = Math.sqrt(DRAWS * p * (1 - p));
    assertThat((double) count).as(what).isCloseTo(DRAWS * p, within(4.5 * sigma + 1));
  }

  @Test
  void zipfianFollowsGraysGeneratorWithYcsbsConstants() {
    assertThat(Zipfian.zetaStatic(0, 2, 0.99, 0)).isEqualTo(1 + 1 / Math.pow(2, 0.99));
    Zipfian zipfian = new Zipfian(0, 999);
    SplittableRandom random = new SplittableRandom(7);
    long[] counts = new long[1000];
    for (int i = 0; i < DRAWS; i++) counts[(int) zipfian.next(random)]++;
    double zetan = zeta(1000);
    // Items 0 and 1 are drawn exactly with probability 1/zeta(n) and 2^-theta/zeta(n).
    assertFrequency(counts[0], 1 / zetan, "item 0");
    assertFrequency(counts[1], Math.pow(0.5, 0.99) / zetan, "item 1");
    for (int item = 1; item < 6; item++) {
      assertThat(counts[item]).as("item %d", item).isLessThan(counts[item - 1]);
    }
    long tail = 0;
    for (int item = 500; item < 1000; item++) tail += counts[item];
    double expectedTail = (zetan - zeta(500)) / zetan;
    assertThat((double) tail / DRAWS).isCloseTo(expectedTail, within(0.01));
  }

  @Test
  void aCopyDrawsTheSameSequenceWithoutSummingZetaAgain() {
    Zipfian zipfian = new Zipfian(10, 5_009);
    Zipfian copy = zipfian.copy();
    SplittableRandom a = new SplittableRandom(3);
    SplittableRandom b = new SplittableRandom(3);
    for (int i = 0; i < 1000; i++) assertThat(copy.next(b)).isEqualTo(zipfian.next(a));
  }

  @Test
  void scrambledZipfianPutsTheHottestItemsWhereFnvHashesThem() {
    assertThat(Fnv.hash64(0)).isEqualTo(6284781860667377211L);
    assertThat(Fnv.hash64(1)).isEqualTo(8517097267634966620L);
    KeyChooser chooser = new KeyChooser.ScrambledZipfian(0, 999);
    SplittableRandom random = new SplittableRandom(11);
    long[] counts = new long[1000];
    for (int i = 0; i < DRAWS; i++) counts[(int) chooser.next(random, 999)]++;
    // Zipfian item 0 (probability 1/ZETAN over YCSB's 10^16 items) lands on fnv(0) mod 1000 = 211,
    // item 1 on fnv(1) mod 1000 = 620; other items add about 1/1000 each.
    double p0 = 1 / KeyChooser.ScrambledZipfian.ZETAN;
    double p1 = Math.pow(0.5, 0.99) / KeyChooser.ScrambledZipfian.ZETAN;
    double rest = (1 - p0 - p1) / 1000;
    assertFrequency(counts[211], p0 + rest, "key 211");
    assertFrequency(counts[620], p1 + rest, "key 620");
    int hottest = 0;
    for (int key = 1; key < 1000; key++) if (counts[key] > counts[hottest]) hottest = key;
    assertThat(hottest).isEqualTo(211);
    long cold = 0;
    for (int key = 0; key < 1000; key++) if (counts[key] == 0) cold++;
    assertThat(cold).as("keys never drawn").isLessThan(50);
  }

  @Test
  void latestFavoursTheMostRecentRecord() {
    KeyChooser chooser = new KeyChooser.Latest(1000);
    SplittableRandom random = new SplittableRandom(5);
    long[] counts = new long[1000];
    for (int i = 0; i < DRAWS; i++) {
      long key = chooser.next(random, 999);
      assertThat(key).isBetween(0L, 999L);
      counts[(int) key]++;
    }
    double zetan = zeta(1000);
    assertFrequency(counts[999], 1 / zetan, "the latest record");
    assertFrequency(counts[998], Math.pow(0.5, 0.99) / zetan, "the one before");
    // A later frontier moves the hot spot with it.
    assertThat(chooser.next(new SplittableRandom(1), 5_000)).isGreaterThan(999L);
  }

  @Test
  void uniformDrawsEveryRecordAlike() {
    KeyChooser chooser = new KeyChooser.Uniform(100, 199);
    SplittableRandom random = new SplittableRandom(9);
    long[] counts = new long[100];
    for (int i = 0; i < DRAWS; i++) counts[(int) chooser.next(random, 199) - 100]++;
    for (int key = 0; key < 100; key++) assertFrequency(counts[key], 0.01, "key " + key);
  }

  @Test
  void hotspotSendsItsShareOfOpsToTheHotSet() {
    KeyChooser chooser = KeyChooser.Hotspot.of(0, 999, 0.2, 0.8);
    SplittableRandom random = new SplittableRandom(13);
    long hot = 0;
    for (int i = 0; i < DRAWS; i++) if (chooser.next(random, 999) < 200) hot++;
    assertFrequency(hot, 0.8, "hot set");
  }

  @Test
  void scanLengthsAreUniformOrZipfianOverTheirRange() {
    LengthChooser uniform = LengthChooser.of("uniform", 1, 100);
    LengthChooser zipfian = LengthChooser.of("zipfian", 1, 100);
    SplittableRandom random = new SplittableRandom(17);
    long ones = 0;
    long sum = 0;
    for (int i = 0; i < DRAWS; i++) {
      int length = uniform.next(random);
      assertThat(length).isBetween(1, 100);
      sum += length;
      if (zipfian.next(random) == 1) ones++;
    }
    assertThat((double) sum / DRAWS).isCloseTo(50.5, within(0.5));
    assertFrequency(ones, 1 / zeta(100), "zipfian length 1");
  }
}
