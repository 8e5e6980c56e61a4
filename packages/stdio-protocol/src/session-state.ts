/**
 * Where a {@link ConsoleRpcSession} is in the life of its process's stream. It only moves forward
 * (down this list), so "has EXIT come" or "may the host still send" is one comparison instead of
 * flags that must agree. The channel itself may end in any state: other streams share it, and the
 * session tells them and `closed` whenever it does.
 */
export enum SessionState {
  /** The handshake and `beforeStart` run; nothing is read for the stream yet. */
  Opening,
  /** START (or EXEC) went out: frames flow both ways. */
  Running,
  /** The channel ended or failed before EXIT: output that came is written out, then `exit` rejects. */
  Ending,
  /** EXIT came: later frames of the stream are ignored, nothing is sent for it; QUIT follows once its output is written. */
  Exited,
  /** `exit` settled after EXIT (with its status, or the guest's ERROR). */
  Finished,
  /** `exit` settled without EXIT: the session failed or was closed. */
  Aborted,
}
