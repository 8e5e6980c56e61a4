import fs from 'node:fs';
import tty from 'node:tty';

/**
 * Keeps vsb quiet when its terminal goes away (window closed, ssh dropped) while a sandbox runs.
 * The app gets the SIGHUP (forwarded like any signal) and vsb exits 129; what must not happen is
 * what Node does by itself: oclif rethrows the EIO of the next write to stdout as an uncaught
 * error, and at exit Node's ResetStdio asserts (a native stack trace) because restoring the saved
 * terminal mode on the hung-up tty fails. So write errors on stdio are dropped (the session already
 * treats a broken output as the app's SIGPIPE), and at exit each stdio fd that was a terminal when
 * vsb started and is one no more is pointed at /dev/null, which ResetStdio then skips as "reopened".
 */
export class HangupGuard {
  private readonly ttyFds = [0, 1, 2].filter((fd) => tty.isatty(fd));
  private readonly onError = (error: NodeJS.ErrnoException): void => {
    if (error.code === 'EIO') this.onHangup();
  };
  private readonly onExit = (): void => this.detachHungUpTerminals();

  /** `onHangup`: called when a stdio terminal is found gone (EIO), which may come before or without the SIGHUP. */
  constructor(private readonly onHangup: () => void) {}

  install(): void {
    // oclif's own handler rethrows everything but EPIPE.
    process.stdout.removeAllListeners('error');
    for (const stream of [process.stdin, process.stdout, process.stderr]) stream.on('error', this.onError);
    process.on('exit', this.onExit);
  }

  private detachHungUpTerminals(): void {
    // Lowest fd first: open() then takes the number just closed.
    for (const fd of this.ttyFds) {
      if (tty.isatty(fd)) continue;
      try {
        fs.closeSync(fd);
        fs.openSync('/dev/null', 'r+');
      } catch {
        // Nothing better to do this late; at worst Node's own message comes back.
      }
    }
  }
}
