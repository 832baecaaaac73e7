package oskr.protocol;

import java.time.Duration;
import oskr.core.Address;

/**
 * A context that passes every effect on to another one; test mutants override the effects they
 * watch or rewrite.
 */
public class ForwardingContext<M> implements Context<M> {
  private final Context<M> target;

  public ForwardingContext(Context<M> target) {
    this.target = target;
  }

  @Override
  public Address self() {
    return target.self();
  }

  @Override
  public void send(Address to, M message) {
    target.send(to, message);
  }

  @Override
  public void sendToReplica(int index, M message) {
    target.sendToReplica(index, message);
  }

  @Override
  public void broadcast(M message) {
    target.broadcast(message);
  }

  @Override
  public void setTimer(TimerKey key, Duration delay) {
    target.setTimer(key, delay);
  }

  @Override
  public void cancelTimer(TimerKey key) {
    target.cancelTimer(key);
  }

  @Override
  public <R> void submit(Job<R> job, JobDone<R> done) {
    target.submit(job, done);
  }

  @Override
  public Randomness random() {
    return target.random();
  }
}
