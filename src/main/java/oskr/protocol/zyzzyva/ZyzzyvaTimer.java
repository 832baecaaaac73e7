package oskr.protocol.zyzzyva;

import oskr.protocol.TimerKey;

/** The timers of Zyzzyva replicas and clients. */
enum ZyzzyvaTimer implements TimerKey {
  /**
   * A backup relayed a request to the primary, or misses orders below one it holds (SOSP'07 §3.4):
   * if they do not execute in time, it starts a view change.
   */
  PROGRESS,
  /** A replica that moved to a view waits for its NEW-VIEW; then it moves on to the next view. */
  VIEW_CHANGE,
  /**
   * Every resend timeout: send again what may have been lost (VIEW-CHANGE, VOTE, CHECKPOINT,
   * FILL-HOLE, FETCH-STATE) and refill the state-transfer budget.
   */
  RETRANSMIT,
  /** A client's request did not complete in time: commit with 2f+1 matching, else resend. */
  RESEND
}
