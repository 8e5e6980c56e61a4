import fs from 'node:fs';
import tty from 'node:tty';

/** How the app's stdio is wired: on a pty or on pipes, and whether its stderr stays apart from the pty. */
export interface TerminalMode {
  readonly tty: boolean;
  readonly splitStderr: boolean;
}

/** What {@link terminalMode} asks of the host's fds (a seam for unit tests). */
export interface FdProbe {
  isatty(fd: number): boolean;
  /** The terminal device behind fd (st_rdev), undefined when fstat fails. */
  rdev(fd: number): number | undefined;
}

const hostFds: FdProbe = {
  isatty: (fd) => tty.isatty(fd),
  rdev: (fd) => {
    try {
      return fs.fstatSync(fd).rdev;
    } catch {
      return undefined;
    }
  },
};

/**
 * The terminal rule (as `ssh`, `podman run -t` decide): a pty only when stdin AND stdout are
 * terminals, so `vsb run -- seq 3 | cat -A` and `vsb run -- cat FILE | sha256sum` get the app's
 * bytes unchanged; `--tty` forces one, `--no-tty` refuses it. On a pty the app's stderr is kept
 * apart (a pipe) unless vsb's stderr is the very terminal its stdout is, so `2>e` still fills `e`.
 */
export function terminalMode(flag: boolean | undefined, fds: FdProbe = hostFds): TerminalMode {
  const ttyMode = flag ?? (fds.isatty(0) && fds.isatty(1));
  const sameTerminal = fds.isatty(1) && fds.isatty(2) && fds.rdev(1) === fds.rdev(2);
  return { tty: ttyMode, splitStderr: ttyMode && !sameTerminal };
}
