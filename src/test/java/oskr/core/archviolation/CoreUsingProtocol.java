package oskr.core.archviolation;

import oskr.protocol.archviolation.ImpureReplica;

/**
 * A deliberately bad core class, never run: core must depend on no other oskr package, and this
 * one depends on a protocol class that depends back on it, a cycle between top-level slices.
 * ArchitectureTest checks that its rules flag both.
 */
@SuppressWarnings("unused")
public final class CoreUsingProtocol {
  private ImpureReplica protocolClass;
}
