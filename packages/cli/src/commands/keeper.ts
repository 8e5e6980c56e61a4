import { BaseCommand } from '../base-command';

/**
 * `vsb keeper` (hidden): the per-sandbox keeper process `vsb run --detach` starts, detached, with
 * its request on fd 3 (keeper/sandbox-keeper.ts). Not for direct use, so in no help or man page.
 */
export default class Keeper extends BaseCommand {
  static override hidden = true;
  static override summary = 'Keep one detached sandbox (started by vsb run --detach)';

  async run(): Promise<void> {
    await this.parse(Keeper);
    const { runKeeper } = await import('../keeper/run-keeper');
    const code = await runKeeper(this.config.getPluginsList());
    // The libvirt connection and the event thread of the binding are not waited for: AUTODESTROY
    // and the watchdog finish what is left, as when `vsb run` ends.
    process.exit(code);
  }
}
