import type { ReadStream } from 'node:tty';

/**
 * Puts the local terminal in raw mode for tty sandboxes and restores it on every exit path
 * (normal end, error, signal, even `process.exit`), so the user never gets a broken shell back.
 */
export class RawTerminal {
  private active = false;
  private readonly onExit = () => this.restore();

  constructor(private readonly input: ReadStream) {}

  enter(): void {
    if (this.active) return;
    this.input.setRawMode(true);
    this.active = true;
    process.once('exit', this.onExit);
  }

  restore(): void {
    if (!this.active) return;
    this.active = false;
    process.removeListener('exit', this.onExit);
    try {
      this.input.setRawMode(false);
    } catch {
      // The terminal may be gone (hang-up): nothing left to restore.
    }
  }
}
