/** The message of anything thrown, for one line to the user. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
