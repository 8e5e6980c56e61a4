import path from 'node:path';

/** Host path of the static guest init (@vsb/guest-init's build), which runs and doctor checks. */
export function guestInitPath(): string {
  return path.join(path.dirname(require.resolve('@vsb/guest-init/package.json')), 'build', 'vsb-init');
}
