package oskr.protocol.vr;

/** A replica's status: normal (VR §4.1), view change (§4.2), or recovering its state (§4.3). */
enum Status {
  NORMAL,
  VIEW_CHANGE,
  RECOVERING
}
