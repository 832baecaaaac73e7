package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * The NEW-VIEW safety check of TOCS §4.5.1 (a re-proposal at a sequence number a replica saw
 * committed is the batch that committed) is always on: it stops the replica even where assertions
 * are disabled, as in production. Surefire runs with {@code -ea}, so the scenario ({@link
 * CommittedReProposal}) runs in a class loader of its own with assertions off.
 */
class NewViewSafetyTest {
  @Test
  void aNewViewReProposingAnotherBatchAtACommittedNumberStopsTheReplicaWithoutAssertions()
      throws Exception {
    ClassLoader loader = new OwnClasses(NewViewSafetyTest.class.getClassLoader());
    loader.setDefaultAssertionStatus(false);
    Class<?> scenario = Class.forName(CommittedReProposal.class.getName(), true, loader);
    assertThat(scenario).isNotSameAs(CommittedReProposal.class);
    assertThat(scenario.getMethod("assertionsEnabled").invoke(null))
        .as("assertions in the scenario's class loader")
        .isEqualTo(false);
    Method run = scenario.getMethod("run");
    Throwable thrown = catchThrowable(() -> run.invoke(null));
    assertThat(thrown).as("the replica accepted the NEW-VIEW").isNotNull();
    assertThat(thrown).isInstanceOf(InvocationTargetException.class);
    assertThat(thrown.getCause())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("invariant violated: NEW-VIEW re-proposes another batch at committed 1");
  }

  /** Loads oskr's classes afresh, so that their assertion status is this loader's. */
  private static final class OwnClasses extends ClassLoader {
    OwnClasses(ClassLoader parent) {
      super("no-assertions", parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith("oskr.")) return super.loadClass(name, resolve);
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded == null) loaded = define(name);
        if (resolve) resolveClass(loaded);
        return loaded;
      }
    }

    private Class<?> define(String name) throws ClassNotFoundException {
      try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
        if (in == null) throw new ClassNotFoundException(name);
        byte[] bytes = in.readAllBytes();
        return defineClass(name, bytes, 0, bytes.length);
      } catch (IOException e) {
        throw new ClassNotFoundException(name, e);
      }
    }
  }
}
