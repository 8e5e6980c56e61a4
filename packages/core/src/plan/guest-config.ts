import type { SandboxConfig } from '../sandbox-config';
import type { GuestChannel } from '../extension-points/console-transport';
import { decodeLossless, encodeLossless } from '../lossless-text';
import { writablePaths } from './writable-paths';
import { DEFAULT_PIDS } from '../options/parse-pids';
import { guestNetRecords } from './network-interfaces';
import type { GuestCopy } from '../host/copy-includes';

/** A guest-side mount the init performs (docs/GUEST-CONFIG.md, key `mount`). */
export interface GuestMount {
  /** `9p`: a share by tag; `disk`: a virtio disk by serial (both VM only). */
  readonly kind: 'bind' | 'tmpfs' | 'ro' | 'move' | '9p' | 'disk';
  readonly source: string;
  readonly target: string;
  readonly options: string;
}

/** A `--disk` as the init sees it: its tag and the device (absolute path), or a VM's virtio serial. */
export interface GuestDisk {
  readonly tag: string;
  readonly device: string;
}

const FIELD_SEP = '\x1f';

/** What the host decided for the guest side of one run, besides the config itself. */
export interface GuestSide {
  /** Where the init speaks the stdio protocol. */
  readonly channel: GuestChannel;
  /** Guest-side mounts, in order. */
  readonly mounts?: readonly GuestMount[];
  /** `TERM` in tty mode. */
  readonly term?: string;
  /** Tty of the `--shell` debug shell. */
  readonly shell?: string;
  /** First host id of the app's own user namespace (containers); absent = none. */
  readonly userns?: number;
  /** `--disk` devices, in order. */
  readonly disks?: readonly GuestDisk[];
  /** Includes the init copies once the mounts are done, in order. */
  readonly copies?: readonly GuestCopy[];
}

/**
 * Encodes the config the guest init reads (docs/GUEST-CONFIG.md): NUL-terminated `key=value`
 * records, chosen so a few lines of C can read it and any value (newlines, quotes, `<&`) survives.
 */
export function encodeGuestConfig(config: SandboxConfig, guest: GuestSide): Buffer {
  const { channel, mounts: guestMounts = [], term = 'dumb' } = guest;
  const id = config.identity;
  const records: Array<[string, string]> = [
    ['version', '1'],
    ['name', config.name],
    ['uid', String(id.uid)],
    ['gid', String(id.gid)],
  ];
  if (id.groups.length > 0) records.push(['groups', id.groups.join(',')]);
  records.push(
    ['user', id.user],
    ['home', id.home],
    ['privileged', id.privileged ? '1' : '0'],
    ['tty', config.tty ? '1' : '0'],
    ['channel', channel.path],
    ['term', term],
    ['debug', config.debug ? '1' : '0'],
    ['seccomp', config.seccomp ? '1' : '0'],
    ['landlock', config.landlock ? '1' : '0'],
  );
  if (channel.kind === 'unix') records.push(['channeltype', 'unix']);
  if (config.workdir) records.push(['cwd', config.workdir.dir]);
  if (config.workdir && !config.workdir.strict) records.push(['cwdsoft', '1']);
  if (config.tty && config.splitStderr) records.push(['splitstderr', '1']);
  if (guest.shell) records.push(['shell', guest.shell]);
  if (guest.userns !== undefined) records.push(['userns', String(guest.userns)], ['pids', String(config.pids ?? DEFAULT_PIDS)]);
  for (const n of guestNetRecords(config)) records.push(['net', [n.kind, n.ifname, n.a, n.b].join(FIELD_SEP)]);
  for (const d of guest.disks ?? []) records.push(['disk', `${d.tag}${FIELD_SEP}${d.device}`]);
  for (const m of guestMounts) records.push(['mount', [m.kind, m.source, m.target, m.options].join(FIELD_SEP)]);
  for (const c of guest.copies ?? []) records.push(['copy', `${c.source}${FIELD_SEP}${c.target}`]);
  if (config.landlock) for (const p of writablePaths(config.mounts, guestMounts)) records.push(['writable', p]);
  for (const [k, v] of config.env) records.push(['env', `${k}=${v}`]);
  for (const arg of config.command) records.push(['argv', arg]);
  for (const [key, value] of records) {
    if (value.includes('\0')) throw new Error(`guest config value for '${key}' contains a NUL byte`);
  }
  // Lossless: argv and env may hold bytes that are not UTF-8, which must reach the app unchanged.
  return encodeLossless(records.map(([k, v]) => `${k}=${v}\0`).join(''));
}

/** Decodes a guest config back into records; used by tests to check what the init will see. */
export function decodeGuestConfig(data: Buffer): Array<[string, string]> {
  const text = decodeLossless(data);
  if (!text.endsWith('\0')) throw new Error('guest config does not end with a NUL byte');
  return text
    .slice(0, -1)
    .split('\0')
    .map((r) => {
      const eq = r.indexOf('=');
      return [r.slice(0, eq), r.slice(eq + 1)] as [string, string];
    });
}
