import { readFile } from 'node:fs/promises';
import { BaseCommand } from '../base-command';
import type { PsEntry } from '../keeper/ps-entry';

/** `vsb ps`: the caller's detached sandboxes, as `podman ps` lists containers. */
export default class Ps extends BaseCommand {
  static override summary = 'List your detached sandboxes (vsb run --detach)';
  static override description = [
    'Lists the sandboxes you started with vsb run --detach whose keeper is alive, one line each: NAME, BACKEND, URI, AGE (since the command started), STATE, MEMORY (what the whole sandbox uses now, from its memory cgroup; - where it cannot be read) and COMMAND.',
    'STATE is running, stopping (vsb stop sent SIGTERM), or, for a sandbox started with --keep whose command has ended, how it ended: exited N, killed SIGNAME (out of memory when the OOM killer ended it), or failed.',
    'With --json it prints an array of objects: {"name", "backend", "uri", "pid" (the keeper\'s), "startedAt" (ISO time), "ageSeconds", "command": [..], "state", "keep", "ended": null or {"at", "code", "signal", "signalName", "oom", "error"}, "memoryBytes": number or null}.',
  ].join('\n\n');

  static override examples = [
    { description: 'List your detached sandboxes', command: '<%= config.bin %> ps' },
    {
      description: 'The names of those whose command has ended (started with --keep)',
      command: '<%= config.bin %> ps --json | jq -r \'.[] | select(.state == "exited") | .name\'',
    },
  ];

  static override enableJsonFlag = true;

  async run(): Promise<PsEntry[]> {
    await this.parse(Ps);
    const { listDetached } = await import('../keeper/detached-sandbox');
    const { psEntries } = await import('../keeper/ps-entry');
    const { psTable } = await import('../keeper/ps-table');
    const { SandboxMemory } = await import('../record/sandbox-memory');
    // One read of the mount table for every sandbox's memory cgroup.
    const mountinfo = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
    const entries = psEntries(listDetached(), Date.now(), (name) => SandboxMemory.find(name, mountinfo)?.inUse());
    if (!this.jsonEnabled()) process.stdout.write(psTable(entries));
    return entries;
  }
}
