package oskr.protocol.pbft;

import oskr.protocol.TimerKey;

/** The timers of PBFT replicas and clients. */
enum PbftTimer implements TimerKey {
  /** A backup waits for a request to execute, or for the NEW-VIEW of the view it moved to. */
  VIEW_CHANGE,
  /** While changing views: multicast our VIEW-CHANGE (and CHECKPOINTs) again, they may be lost. */
  VIEW_CHANGE_RESEND,
  /** A backup holds PRE-PREPAREs it could not check: reject those no f PREPAREs vouched for. */
  VOUCH,
  /** Batches wait above the last executed one: if none executed meanwhile, fetch the log. */
  PROGRESS,
  /** State transfer: the chunk or log asked for did not come; ask another replica. */
  STATE_TRANSFER,
  /** A period of answering FETCH-LOG and FETCH-STATE ended: requesters' budgets are full again. */
  FETCH_BUDGET,
  /** A client's request got no f+1 matching replies in time: resend it to all replicas. */
  RESEND
}
