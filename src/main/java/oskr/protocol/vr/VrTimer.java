package oskr.protocol.vr;

import oskr.protocol.TimerKey;

/** The timers of VR replicas and clients. */
enum VrTimer implements TimerKey {
  /** A backup heard nothing from its primary, or a view change did not complete: next view. */
  VIEW_CHANGE,
  /** While changing views: send START-VIEW-CHANGE (and DO-VIEW-CHANGE) again, they may be lost. */
  VIEW_CHANGE_RESEND,
  /** The primary: COMMIT if idle, and PREPAREs again to backups that did not acknowledge them. */
  HEARTBEAT,
  /** Recovering: send RECOVERY again (same nonce) until the responses suffice. */
  RECOVERY,
  /** Catching up: the NEW-STATE or snapshot chunk asked for did not come; ask again. */
  STATE_TRANSFER,
  /** A client got no reply in time: send the request again, to every replica. */
  RESEND
}
