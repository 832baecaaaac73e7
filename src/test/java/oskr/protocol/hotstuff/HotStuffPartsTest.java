package oskr.protocol.hotstuff;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Who changes what in a HotStuff replica (style.md §2): each part owns its state, no part writes
 * another's fields or the replica's, and the parts use each other only along the documented
 * downward edges (the replica applies everything else). A new edge fails here until it is
 * deliberate and documented in {@link HotStuffReplica}.
 */
class HotStuffPartsTest {
  private static final List<String> PARTS =
      List.of("BlockSync", "BlockTree", "Execution", "Mempool", "Pacemaker", "Recovery", "Votes");

  private static final Map<String, List<String>> ALLOWED =
      Map.of(
          "BlockSync", List.of("BlockTree"),
          "BlockTree", List.of(),
          "Execution", List.of("Mempool"),
          "Mempool", List.of(),
          "Pacemaker", List.of(),
          "Recovery", List.of(),
          "Votes", List.of());

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("oskr.protocol.hotstuff");

  /** The part a class belongs to (its outermost class), or null for anything else. */
  private static String partOf(JavaClass javaClass) {
    String name = javaClass.getName();
    if (!name.startsWith("oskr.protocol.hotstuff.")) return null;
    String simple = name.substring("oskr.protocol.hotstuff.".length());
    int nested = simple.indexOf('$');
    String outer = nested < 0 ? simple : simple.substring(0, nested);
    return PARTS.contains(outer) ? outer : null;
  }

  @Test
  void partsUseEachOtherOnlyAlongTheDocumentedEdges() {
    Map<String, TreeSet<String>> used = new TreeMap<>();
    for (String part : PARTS) used.put(part, new TreeSet<>());
    for (JavaClass origin : CLASSES) {
      String from = partOf(origin);
      if (from == null) continue;
      for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
        String to = partOf(dependency.getTargetClass());
        if (to != null && !to.equals(from)) used.get(from).add(to);
      }
    }
    for (String part : PARTS) {
      assertThat(used.get(part)).as(part + " uses").isSubsetOf(ALLOWED.get(part));
    }
  }

  @Test
  void theDocumentedEdgesHaveNoCycle() {
    for (String part : PARTS) {
      assertThat(reachable(part)).as("parts reachable from " + part).doesNotContain(part);
    }
  }

  private static TreeSet<String> reachable(String from) {
    TreeSet<String> seen = new TreeSet<>();
    List<String> frontier = new ArrayList<>(ALLOWED.get(from));
    while (!frontier.isEmpty()) {
      String next = frontier.removeLast();
      if (seen.add(next)) frontier.addAll(ALLOWED.get(next));
    }
    return seen;
  }

  @Test
  void noPartWritesAFieldOfAnotherPartOrOfTheReplica() {
    List<String> writes = new ArrayList<>();
    for (JavaClass origin : CLASSES) {
      String from = partOf(origin);
      if (from == null) continue;
      for (JavaFieldAccess access : origin.getFieldAccessesFromSelf()) {
        if (access.getAccessType() != JavaFieldAccess.AccessType.SET) continue;
        JavaClass owner = access.getTargetOwner();
        String to = partOf(owner);
        boolean replica = owner.getName().equals(HotStuffReplica.class.getName());
        if (replica || (to != null && !to.equals(from))) writes.add(describe(access));
      }
    }
    assertThat(writes).as("writes to fields a part does not own").isEmpty();
  }

  private static String describe(JavaAccess<? extends AccessTarget> access) {
    return access.getOrigin().getFullName() + " writes " + access.getTarget().getFullName();
  }
}
