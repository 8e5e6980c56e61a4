import fs from 'node:fs';
import path from 'node:path';

/** Parents libvirt puts its domains' cgroups in (its default partition; systemd's slice). */
const PARTITIONS = ['machine', 'machine.slice'];

/** A memory controller's mount and the file of its peak usage (v1 and v2 name it differently). */
interface MemoryHierarchy {
  readonly mount: string;
  readonly peakFile: string;
}

/** The memory controllers of this host, from /proc/self/mountinfo: cgroup v1's first, then cgroup2. */
function memoryHierarchies(mountinfo: string): MemoryHierarchy[] {
  const found: MemoryHierarchy[] = [];
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    const mount = left?.split(' ')[4];
    const [fstype, , superOptions] = (right ?? '').split(' ');
    if (!mount) continue;
    if (fstype === 'cgroup' && superOptions?.split(',').includes('memory')) found.unshift({ mount, peakFile: 'memory.max_usage_in_bytes' });
    if (fstype === 'cgroup2') found.push({ mount, peakFile: 'memory.peak' });
  }
  return found;
}

/**
 * The memory cgroup libvirt made for one domain, read for the peak memory of `vsb run --record`:
 * `machine/lxc-PID-NAME.libvirt-lxc`, `machine/qemu-ID-NAME.libvirt-qemu`, or systemd's
 * `machine.slice/machine-lxc\x2dPID\x2dNAME.scope`. It covers every process of the sandbox (a VM:
 * QEMU, so the guest memory it touched), and goes away with the domain.
 */
export class SandboxMemory {
  private last?: number;

  private constructor(private readonly file: string) {}

  /** Looks for the cgroup of the running domain `name`; undefined when there is none to read (a remote URI). */
  static find(name: string, mountinfo = readOr('/proc/self/mountinfo')): SandboxMemory | undefined {
    const escaped = name.replace(/-/g, '\\x2d');
    const matches = (entry: string) =>
      entry.endsWith(`-${name}.libvirt-lxc`) || entry.endsWith(`-${name}.libvirt-qemu`) || entry.endsWith(`${escaped}.scope`);
    for (const { mount, peakFile } of memoryHierarchies(mountinfo)) {
      for (const partition of PARTITIONS) {
        const dir = path.join(mount, partition);
        const entry = readdirOr(dir).find(matches);
        if (entry && fs.existsSync(path.join(dir, entry, peakFile))) return new SandboxMemory(path.join(dir, entry, peakFile));
      }
    }
    return undefined;
  }

  /**
   * The peak in bytes: read now while the cgroup exists (synchronously, so a caller can sample at
   * the instant the app exited), else the last value read.
   */
  peak(): number | undefined {
    const value = Number(readOr(this.file).trim());
    if (Number.isFinite(value) && value > 0) this.last = Math.max(this.last ?? 0, value);
    return this.last;
  }
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
