package oskr.protocol;

import oskr.core.Config;

/**
 * What a protocol needs to make a client. {@code clientId} must be unique among the clients of a
 * deployment; the runtime draws it at random, the simulator from its seed.
 */
public record ClientSetup<M>(
    Config config, long clientId, Options options, Context<M> context, Results results) {}
