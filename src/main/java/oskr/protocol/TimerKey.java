package oskr.protocol;

/**
 * Names a protocol timer. Implemented by protocol enums or records with value equality; setting a
 * key that is armed re-arms it.
 */
public interface TimerKey {}
