package oskr.protocol.hotstuff;

import oskr.protocol.TimerKey;

/** The timers of HotStuff replicas and clients. */
enum HotStuffTimer implements TimerKey {
  /** The pacemaker: no progress in this view while work is pending; move to the next. */
  VIEW,
  /** A QC formed by a later leader: relay it to the next leader if its proposal is late. */
  RELAY,
  /** Block sync: the blocks asked for did not come; ask another replica. */
  SYNC,
  /** Block sync: the period after which every requester's fetch budget is full again. */
  FETCH_REFILL,
  /** State transfer: the chunk asked for did not come; ask another replica of the proof. */
  STATE_TRANSFER,
  /** State transfer: the period after which every requester's chunk budget is full again. */
  STATE_REFILL,
  /** A client got no f+1 matching replies in time: send the request again to every replica. */
  RESEND
}
