import { existsSync } from 'node:fs';
import type { HostLeftovers } from '../host/host-leftovers';
import type { StateDirWatchdog } from './state-dir-watchdog';

/**
 * libvirt's log of one run, which is removed after it (by the state dir's watchdog on this host,
 * through the storage API on a remote one) unless it may say what went wrong: `--debug`, a failed
 * start or run.
 */
export class LibvirtLog {
  private kept = false;
  private watchdog?: StateDirWatchdog;

  /**
   * @param local libvirt's files of the run on this host, which the watchdog removes
   * @param remote those on a remote host, removed through its storage API at the end
   */
  constructor(
    readonly local: HostLeftovers | undefined,
    readonly remote: HostLeftovers | undefined,
    private readonly notify: (line: string) => void,
  ) {}

  /** The watchdog of the state dir, once it exists: it removes the local log unless told. */
  watchedBy(watchdog: StateDirWatchdog): void {
    this.watchdog = watchdog;
  }

  /** Whether the log stays after the run. */
  get isKept(): boolean {
    return this.kept;
  }

  /** Keeps the log and tells the user where it is. */
  keep(): void {
    if (this.kept) return;
    if (this.remote) {
      this.kept = true;
      this.notify(`libvirt's log of this run is kept on the remote host: ${this.remote.log}`);
      return;
    }
    if (!this.local || !this.watchdog) return;
    this.kept = true;
    this.watchdog.keepLog();
    if (existsSync(this.local.log)) this.notify(`libvirt's log of this run is kept: ${this.local.log}`);
  }
}
