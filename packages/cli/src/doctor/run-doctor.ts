import type { LibvirtConnector } from '@vsb/core';
import { guarded } from './doctor-check';
import type { CheckResult, DoctorReport } from './doctor-check';
import { cgroupCheck, guestInitCheck, guestKernelCheck, landlockCheck, nbdCheck, passtCheck, userNamespaceCheck } from './host-checks';
import { leftoverCheck } from './leftover-check';
import { kvmCheck, libvirtdCheck, lxcDriverCheck, networksCheck, qemuDriverCheck, securityCheck } from './libvirt-checks';
import { probeLibvirt } from './libvirt-probe';

/** What the checks need from the caller: vsb's own libvirt binding and registries. */
export interface DoctorDeps {
  readonly connector: LibvirtConnector;
  /** Ids of the security models vsb implements ('dac', 'none', 'selinux'). */
  readonly securityModels: readonly string[];
  readonly initPath: string;
}

/**
 * Runs every check, in the order a user fixes things: libvirtd per driver, the drivers, KVM,
 * security models, the host kernel's features, VM boot files, networks, leftovers. Only looks:
 * the connections it opens create nothing. `uri` is the URI whose default run is judged: its
 * failures are `fail`, the rest `warn` at worst.
 */
export async function runDoctor(uri: string, deps: DoctorDeps): Promise<DoctorReport> {
  const { uriDriver } = await import('@vsb/core');
  const qemuUri = process.getuid?.() === 0 ? 'qemu:///system' : 'qemu:///session';
  const uris = [...new Set([uri, 'lxc:///', qemuUri])].sort((a, b) => Number(b === uri) - Number(a === uri));
  const probes = await Promise.all(uris.map((u) => probeLibvirt(deps.connector, u)));
  const lxc = probes.find((p) => uriDriver(p.uri) === 'lxc');
  const qemu = probes.find((p) => uriDriver(p.uri) === 'qemu');
  const judgedDriver = uriDriver(uri);
  const checks: CheckResult[] = [
    ...(await guarded('guest-init', () => guestInitCheck(deps.initPath))),
    ...probes.map((p) => libvirtdCheck(p, p.uri === uri)),
    ...(lxc ? [lxcDriverCheck(lxc, judgedDriver === 'lxc')] : []),
    ...(qemu ? [qemuDriverCheck(qemu, judgedDriver === 'qemu')] : []),
    ...(qemu ? await guarded('kvm', () => kvmCheck(qemu)) : []),
    securityCheck(probes, deps.securityModels),
    ...(await guarded('cgroups', cgroupCheck)),
    ...(await guarded('user-namespaces', userNamespaceCheck)),
    ...(await guarded('landlock', landlockCheck)),
    ...(await guarded('guest-kernel', guestKernelCheck)),
    ...(await guarded('nbd', nbdCheck)),
    ...(await guarded('passt', passtCheck)),
    ...(qemu && !qemu.error ? await guarded('networks', () => networksCheck(qemu.uri)) : []),
    ...(await guarded('leftovers', () => leftoverCheck(probes))),
  ];
  return { ok: checks.every((c) => c.status !== 'fail'), uri, checks };
}
