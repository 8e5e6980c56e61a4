import fs from 'node:fs';
import path from 'node:path';

/** Parents libvirt puts its domains' cgroups in (its default partition; systemd's slice). */
const PARTITIONS = ['machine', 'machine.slice'];

/** A domain's memory cgroup: its directory and the cgroup version, whose files are named differently. */
export interface DomainMemoryCgroup {
  readonly dir: string;
  readonly version: 1 | 2;
}

/**
 * The memory cgroup libvirt made for one running domain: `machine/lxc-PID-NAME.libvirt-lxc`,
 * `machine/qemu-ID-NAME.libvirt-qemu`, or systemd's `machine.slice/machine-lxc\x2dPID\x2dNAME.scope`,
 * under this host's cgroup v1 memory controller first, then cgroup2. It covers every process of the
 * sandbox (libvirt_lxc included; a VM: QEMU) and goes away with the domain. One lookup for what
 * reads it: `--record`'s peak memory and the OOM report. Empty when there is none (a remote URI).
 */
export function domainMemoryCgroups(name: string, mountinfo = readOr('/proc/self/mountinfo')): DomainMemoryCgroup[] {
  const escaped = name.replace(/-/g, '\\x2d');
  const matches = (entry: string) => entry.endsWith(`-${name}.libvirt-lxc`) || entry.endsWith(`-${name}.libvirt-qemu`) || entry.endsWith(`${escaped}.scope`);
  const found: DomainMemoryCgroup[] = [];
  for (const { mount, version } of memoryHierarchies(mountinfo)) {
    for (const partition of PARTITIONS) {
      const dir = path.join(mount, partition);
      const entry = readdirOr(dir).find(matches);
      if (entry) found.push({ dir: path.join(dir, entry), version });
    }
  }
  return found;
}

/** The memory controllers of this host, from mountinfo: cgroup v1's first, then cgroup2. */
function memoryHierarchies(mountinfo: string): Array<{ mount: string; version: 1 | 2 }> {
  const found: Array<{ mount: string; version: 1 | 2 }> = [];
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    const mount = left?.split(' ')[4];
    const [fstype, , superOptions] = (right ?? '').split(' ');
    if (!mount) continue;
    if (fstype === 'cgroup' && superOptions?.split(',').includes('memory')) found.unshift({ mount, version: 1 });
    if (fstype === 'cgroup2') found.push({ mount, version: 2 });
  }
  return found;
}

function readOr(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function readdirOr(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
