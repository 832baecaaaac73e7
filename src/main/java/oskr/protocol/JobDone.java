package oskr.protocol;

/** Receives a {@link Job}'s result on the protocol thread, as a new event. */
@FunctionalInterface
public interface JobDone<R> {
  void onJobDone(R result);
}
