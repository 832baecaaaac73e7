package oskr.protocol;

import oskr.protocol.unreplicated.Unreplicated;

/**
 * A deliberately bad class of the protocol contract, never run: the contract must name no
 * protocol, and ArchitectureTest checks that its rule flags this reference.
 */
@SuppressWarnings("unused")
public final class ContractNamingAProtocol {
  private final Unreplicated named = Unreplicated.PLAIN;
}
