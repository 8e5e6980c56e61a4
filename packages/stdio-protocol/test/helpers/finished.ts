import type { Harness } from './start-session';

/** Waits until the session's console ended, then destroys both ends of the socket pair. */
export async function finished(h: Harness): Promise<void> {
  await h.session.closed;
  h.host.destroy();
  h.guestEnd.destroy();
}
