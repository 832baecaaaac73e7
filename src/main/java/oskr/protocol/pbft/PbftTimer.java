package oskr.protocol.pbft;

import oskr.protocol.TimerKey;

/** The timers of PBFT replicas and clients. */
enum PbftTimer implements TimerKey {
  /** A backup waits for a request to execute, or for the NEW-VIEW of the view it moved to. */
  VIEW_CHANGE,
  /** State transfer: the chunk or log asked for did not come; ask another replica. */
  STATE_TRANSFER,
  /** A client's request got no f+1 matching replies in time: resend it to all replicas. */
  RESEND
}
