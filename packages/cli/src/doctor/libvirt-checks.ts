import { execFile } from 'node:child_process';
import os from 'node:os';
import { exists } from './doctor-check';
import type { CheckResult } from './doctor-check';
import type { LibvirtProbe } from './libvirt-probe';

/** How to (re)start libvirt the way vsb needs it (hybrid cgroups handled, no systemd needed). */
export const START_LIBVIRTD = 'npm run setup (from the vsb checkout), or as root: virtlogd -d && libvirtd -d';

/** libvirtd answers on this URI; `judged` is the URI a default `vsb run` uses, whose failure is a fail. */
export function libvirtdCheck(probe: LibvirtProbe, judged: boolean): CheckResult {
  const id = `libvirt ${probe.uri}`;
  if (!probe.error) return { id, status: 'ok', message: `libvirtd ${probe.version} answers` };
  const lxcNeedsRoot = probe.uri.startsWith('lxc') && process.getuid?.() !== 0;
  return {
    id,
    status: judged ? 'fail' : 'warn',
    message: `no answer: ${probe.error}`,
    fix: lxcNeedsRoot ? 'the LXC driver needs root: run vsb as root, or use VMs with -c qemu:///session' : `start it with: ${START_LIBVIRTD}`,
  };
}

/** The LXC driver offers containers (`<os_type>exe`, `<domain type='lxc'>`). */
export function lxcDriverCheck(probe: LibvirtProbe, judged: boolean): CheckResult {
  const id = 'lxc-driver';
  if (probe.error) return { id, status: judged ? 'fail' : 'warn', message: 'not checked: libvirtd did not answer' };
  const guest = probe.guests.find((g) => g.osType === 'exe' && g.domainTypes.includes('lxc'));
  if (guest) return { id, status: 'ok', message: `containers (${guest.arch})` };
  return {
    id,
    status: judged ? 'fail' : 'warn',
    message: 'libvirt offers no LXC containers',
    fix: 'install libvirt-daemon-driver-lxc (apt-get install libvirt-daemon-driver-lxc), then restart libvirtd',
  };
}

/** The guest of the host's architecture that VM sandboxes use. */
function hostVmGuest(probe: LibvirtProbe) {
  return probe.guests.find((g) => g.osType === 'hvm' && g.arch === os.machine());
}

/** The QEMU driver offers VMs of the host's architecture, and which machine type vsb picks. */
export function qemuDriverCheck(probe: LibvirtProbe, judged: boolean): CheckResult {
  const id = 'qemu-driver';
  if (probe.error) return { id, status: judged ? 'fail' : 'warn', message: 'not checked: libvirtd did not answer' };
  const guest = hostVmGuest(probe);
  if (!guest)
    return {
      id,
      status: judged ? 'fail' : 'warn',
      message: `libvirt offers no ${os.machine()} VMs`,
      fix: 'install qemu-system-x86 and libvirt-daemon-driver-qemu, then restart libvirtd',
    };
  const machine = guest.machines.includes('microvm') ? 'microvm' : 'q35';
  return { id, status: 'ok', message: `VMs (${guest.arch}, machine ${machine}, domain types ${guest.domainTypes.join(', ')})` };
}

/**
 * Whether VMs get KVM, and if not why they run under TCG emulation: no /dev/kvm, libvirt not
 * offering it, or a CPU without VT-x/AMD-V (a PVM /dev/kvm, which QEMU cannot run the host's
 * kernel in: backend-qemu then picks TCG, through the same hostCpu()).
 */
export async function kvmCheck(probe: LibvirtProbe): Promise<CheckResult> {
  const { hostCpu } = await import('@vsb/backend-qemu');
  const id = 'kvm';
  const [cpu, devKvm, pvm] = await Promise.all([hostCpu(), exists('/dev/kvm'), exists('/sys/module/kvm_pvm')]);
  const offered = hostVmGuest(probe)?.domainTypes.includes('kvm') ?? false;
  const tcg = 'VMs run under TCG emulation (several times slower)';
  if (!devKvm) return { id, status: 'warn', message: `no /dev/kvm: ${tcg}`, fix: 'enable VT-x/AMD-V (or nested virtualisation) and load kvm_intel or kvm_amd' };
  if (!cpu.hardwareVirt) {
    return {
      id,
      status: 'warn',
      message: `/dev/kvm is there${pvm ? ' (kvm_pvm)' : ''} but the CPU has no VT-x/AMD-V, so QEMU cannot use it: ${tcg}`,
      fix: 'nothing to do on this host; a host with VT-x/AMD-V runs VMs with KVM',
    };
  }
  if (!probe.error && !offered)
    return {
      id,
      status: 'warn',
      message: `libvirt offers no kvm domains: ${tcg}`,
      fix: 'make /dev/kvm accessible to libvirt (group kvm), then restart libvirtd',
    };
  return { id, status: 'ok', message: 'KVM usable (VT-x/AMD-V and /dev/kvm)' };
}

/** The `--security` models each driver's libvirt offers, among those vsb implements. */
export function securityCheck(probes: readonly LibvirtProbe[], implemented: readonly string[]): CheckResult {
  const answered = probes.filter((p) => !p.error);
  const parts = answered.map(
    (p) =>
      `${p.uri} ${
        p.security
          .map((s) => s.model)
          .filter((m) => implemented.includes(m))
          .join(', ') || 'none'
      }`,
  );
  const selinux = answered.some((p) => p.security.some((s) => s.model === 'selinux'));
  const note = selinux ? '' : '; dynamic, static and inherit need SELinux, which no driver offers';
  return {
    id: 'security',
    status: 'ok',
    message: `--security models: ${parts.join('; ') || 'unknown (no libvirtd answered)'}${note}`,
  };
}

/** Networks of the QEMU driver and their state, from virsh (vsb's binding has no network calls). */
export async function networksCheck(uri: string): Promise<CheckResult> {
  const id = 'networks';
  const out = await new Promise<string>((resolve, reject) => {
    execFile('virsh', ['-q', '-c', uri, 'net-list', '--all'], { timeout: 10_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(stderr.trim() || err.message)) : resolve(stdout),
    );
  });
  const nets = out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 2 && f[0]);
  if (nets.length === 0) return { id, status: 'ok', message: `${uri}: no libvirt networks (sandboxes have loopback only)` };
  return { id, status: 'ok', message: `${uri}: ${nets.map(([name, state]) => `${name} (${state})`).join(', ')}` };
}
