package oskr;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.InstantSource;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import oskr.core.App;
import oskr.core.Writer;
import oskr.core.archviolation.CoreUsingProtocol;
import oskr.protocol.ClientTable;
import oskr.protocol.ContractNamingAProtocol;
import oskr.protocol.Drops;
import oskr.protocol.archviolation.ImpureReplica;
import oskr.protocol.unreplicated.Unreplicated;

/**
 * The layer arrows and the purity of protocol code (style.md section 1 and 2): protocol packages
 * are deterministic, so they reach no thread, clock, socket, file, entropy or static mutable
 * state, and depend on nothing but oskr.core. Each rule is also run against deliberately bad
 * test classes ({@link ImpureReplica}, {@link CoreUsingProtocol}, {@link ContractNamingAProtocol})
 * and must flag them, so no rule passes by matching nothing.
 */
class ArchitectureTest {
  private static final String PROTOCOL = "oskr.protocol..";

  /** Classes whose use makes a run depend on threads, time, entropy, files or processes. */
  private static final DescribedPredicate<JavaClass> NONDETERMINISTIC_CLASSES =
      resideInAnyPackage(
              "java.net..",
              "java.nio.channels..",
              "java.nio.file..",
              "java.util.concurrent..",
              "java.util.random..")
          .or(
              belongToAnyOf(
                  Thread.class,
                  ThreadLocal.class,
                  Clock.class,
                  InstantSource.class,
                  SplittableRandom.class,
                  java.util.Timer.class,
                  java.util.TimerTask.class,
                  ProcessBuilder.class,
                  Process.class,
                  Runtime.class,
                  java.io.File.class,
                  java.io.FileInputStream.class,
                  java.io.FileOutputStream.class,
                  java.io.RandomAccessFile.class))
          .or(assignableTo(Random.class))
          .or(assignableTo(SecureRandom.class))
          .or(assignableTo(Thread.class))
          .as("threads, executors, clocks, sockets, files, processes or random generators");

  /** Calls that read the time, the environment or an entropy source. */
  private static final DescribedPredicate<JavaMethodCall> NONDETERMINISTIC_CALLS =
      describe(
          "System.nanoTime/currentTimeMillis/identityHashCode/getenv/getProperty, a java.time"
              + " now(), Math.random or UUID.randomUUID",
          call ->
              isCallTo(call, System.class, "nanoTime", "currentTimeMillis", "identityHashCode",
                      "getenv", "getProperty")
                  || isCallTo(call, Math.class, "random")
                  || isCallTo(call, StrictMath.class, "random")
                  || isCallTo(call, java.util.UUID.class, "randomUUID")
                  || (call.getTargetOwner().getPackageName().equals("java.time")
                      && call.getName().equals("now")));

  private static boolean isCallTo(JavaMethodCall call, Class<?> owner, String... names) {
    return call.getTargetOwner().isEquivalentTo(owner) && List.of(names).contains(call.getName());
  }

  /** Field types that are mutable whatever the field's modifiers say. */
  private static final DescribedPredicate<JavaClass> MUTABLE_TYPES =
      describe("an array", JavaClass::isArray)
          .or(assignableTo(Collection.class))
          .or(assignableTo(Map.class))
          .or(oneOf(BitSet.class, StringBuilder.class, StringBuffer.class))
          .or(oneOf(Writer.class, Drops.class, ClientTable.class))
          .as("an array, a collection, a map or another mutable type");

  /** Exactly one of {@code types}: unlike belongToAnyOf, not their nested classes. */
  private static DescribedPredicate<JavaClass> oneOf(Class<?>... types) {
    return describe(
        "one of " + List.of(types),
        javaClass -> Stream.of(types).anyMatch(javaClass::isEquivalentTo));
  }

  static final ArchRule PROTOCOL_IS_DETERMINISTIC =
      noClasses()
          .that()
          .resideInAPackage(PROTOCOL)
          .should()
          .dependOnClassesThat(NONDETERMINISTIC_CLASSES)
          .orShould()
          .callMethodWhere(NONDETERMINISTIC_CALLS)
          .because("a protocol is a deterministic state machine; the runtime and simulator own"
              + " threads, time and I/O, and randomness comes from the context");

  static final ArchRule PROTOCOL_HAS_NO_STATIC_MUTABLE_FIELD =
      fields()
          .that()
          .areDeclaredInClassesThat()
          .resideInAPackage(PROTOCOL)
          .and()
          .areStatic()
          .should()
          .beFinal()
          .because("static state would be shared by every node in one simulator JVM");

  static final ArchRule PROTOCOL_HAS_NO_STATIC_MUTABLE_CONSTANT =
      noFields()
          .that()
          .areDeclaredInClassesThat()
          .resideInAPackage(PROTOCOL)
          .and()
          .areStatic()
          .and()
          .doNotHaveModifier(JavaModifier.SYNTHETIC) // javac's enum $VALUES and $SwitchMap$
          .should()
          .haveRawType(MUTABLE_TYPES)
          .because("a static final collection or array is still static mutable state: use an"
              + " enum, a record or an instance field");

  static final ArchRule PROTOCOL_HAS_NO_VOLATILE_FIELD =
      noFields()
          .that()
          .areDeclaredInClassesThat()
          .resideInAPackage(PROTOCOL)
          .should()
          .haveModifier(JavaModifier.VOLATILE)
          .because("protocol state is confined to one thread");

  static final ArchRule PROTOCOL_HAS_NO_SYNCHRONIZED_METHOD =
      noMethods()
          .that()
          .areDeclaredInClassesThat()
          .resideInAPackage(PROTOCOL)
          .should()
          .haveModifier(JavaModifier.SYNCHRONIZED)
          .because("protocol state is confined to one thread");

  static final ArchRule CORE_DEPENDS_ON_NO_OTHER_OSKR_PACKAGE =
      noClasses()
          .that()
          .resideInAPackage("oskr.core..")
          .should()
          .dependOnClassesThat(
              resideInAPackage("oskr..").and(resideOutsideOfPackage("oskr.core..")))
          .because("core is the bottom layer");

  static final ArchRule PROTOCOL_DEPENDS_ONLY_ON_CORE =
      noClasses()
          .that()
          .resideInAPackage(PROTOCOL)
          .should()
          .dependOnClassesThat(
              resideInAPackage("oskr..").and(resideOutsideOfPackages("oskr.core..", PROTOCOL)))
          .because("protocol code never imports runtime, sim, app, cli or bench code");

  static final ArchRule PROTOCOL_CONTRACT_KNOWS_NO_PROTOCOL =
      noClasses()
          .that()
          .resideInAPackage("oskr.protocol")
          .should()
          .dependOnClassesThat(
              resideInAPackage(PROTOCOL).and(resideOutsideOfPackage("oskr.protocol")))
          .because("the contract is shared by all protocols and names none of them");

  static final ArchRule PROTOCOLS_ARE_INDEPENDENT =
      slices()
          .matching("oskr.protocol.(*)..")
          .should()
          .notDependOnEachOther()
          .because("each protocol is self-contained; shared helpers go in oskr.protocol");

  static final ArchRule NO_CYCLES_BETWEEN_TOP_LEVEL_PACKAGES =
      slices().matching("oskr.(*)..").should().beFreeOfCycles();

  static final List<ArchRule> RULES =
      List.of(
          PROTOCOL_IS_DETERMINISTIC,
          PROTOCOL_HAS_NO_STATIC_MUTABLE_FIELD,
          PROTOCOL_HAS_NO_STATIC_MUTABLE_CONSTANT,
          PROTOCOL_HAS_NO_VOLATILE_FIELD,
          PROTOCOL_HAS_NO_SYNCHRONIZED_METHOD,
          CORE_DEPENDS_ON_NO_OTHER_OSKR_PACKAGE,
          PROTOCOL_DEPENDS_ONLY_ON_CORE,
          PROTOCOL_CONTRACT_KNOWS_NO_PROTOCOL,
          PROTOCOLS_ARE_INDEPENDENT,
          NO_CYCLES_BETWEEN_TOP_LEVEL_PACKAGES);

  private static JavaClasses production;
  private static JavaClasses violations;

  @BeforeAll
  static void importClasses() {
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("oskr");
    violations =
        new ClassFileImporter()
            .importClasses(
                ImpureReplica.class, CoreUsingProtocol.class, ContractNamingAProtocol.class);
  }

  @Test
  void theImportReadsJava25ClassFilesWithTheirMethodBodies() {
    assertThat(production.contain(Unreplicated.class)).isTrue();
    JavaClass replica = production.get("oskr.protocol.unreplicated.UnreplicatedReplica");
    // A call inside a method body: the importer parsed code, not just class headers.
    assertThat(replica.getMethodCallsFromSelf())
        .anyMatch(call -> call.getTargetOwner().isEquivalentTo(App.class)
            && call.getName().equals("execute"));
    assertThat(production.contain("oskr.core.crypto.Crypto")).isTrue();
    assertThat(production.contain("oskr.protocol.archviolation.ImpureReplica"))
        .as("test classes are not part of the checked code")
        .isFalse();
  }

  @Test
  void productionCodeFollowsEveryRule() {
    for (ArchRule rule : RULES) rule.check(production);
  }

  @Test
  void eachRuleFlagsTheDeliberateViolations() {
    for (ArchRule rule : RULES) {
      assertThat(rule.evaluate(violations).hasViolation()).as(rule.getDescription()).isTrue();
    }
  }

  @Test
  void theDeterminismRuleNamesEachForbiddenUse() {
    String report = details(PROTOCOL_IS_DETERMINISTIC.evaluate(violations));
    for (String forbidden :
        Set.of(
            "java.lang.Thread",
            "java.util.Random",
            "java.security.SecureRandom",
            "java.util.concurrent.ConcurrentHashMap",
            "java.net.InetSocketAddress",
            "java.lang.System.nanoTime()",
            "java.lang.System.currentTimeMillis()",
            "java.time.Instant.now()",
            "java.lang.Math.random()")) {
      assertThat(report).contains(forbidden);
    }
  }

  @Test
  void theStaticStateRulesNameEachField() {
    assertThat(details(PROTOCOL_HAS_NO_STATIC_MUTABLE_FIELD.evaluate(violations)))
        .contains("ImpureReplica.instances");
    assertThat(details(PROTOCOL_HAS_NO_STATIC_MUTABLE_CONSTANT.evaluate(violations)))
        .contains("ImpureReplica.LOG", "ImpureReplica.COUNTS");
    assertThat(details(PROTOCOL_HAS_NO_VOLATILE_FIELD.evaluate(violations)))
        .contains("ImpureReplica.running");
    assertThat(details(PROTOCOL_DEPENDS_ONLY_ON_CORE.evaluate(violations)))
        .contains("oskr.app.NullApp");
    assertThat(details(PROTOCOLS_ARE_INDEPENDENT.evaluate(violations)))
        .contains("oskr.protocol.unreplicated.Unreplicated");
  }

  private static String details(EvaluationResult result) {
    return String.join("\n", result.getFailureReport().getDetails());
  }
}
