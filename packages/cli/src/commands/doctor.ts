import { Flags } from '@oclif/core';
import { BaseCommand } from '../base-command';
import { guestInitPath } from '../guest-init-path';
import type { CheckResult, DoctorReport } from '../doctor/doctor-check';

/** `vsb doctor`: what is wrong with this host for vsb, one line per check, each with what to do. */
export default class Doctor extends BaseCommand {
  static override summary = 'Check whether this host can run sandboxes, and say what to fix';
  static override description = [
    'Runs its checks in order and prints one line for each: ok, warn (a feature is missing or slow; a default vsb run still works) or fail (it does not), with what to do.',
    'It checks libvirtd for each driver, the LXC and QEMU drivers, whether VMs get KVM or run under TCG emulation and why, the --security models each driver offers, the cgroup layout, user namespaces, the Landlock ABI, the kernel VMs boot and the --kernver candidates, nbd for qcow2 images, passt, libvirt networks and their state, and what earlier runs left behind.',
    'It never changes the host. It exits 0 when a default vsb run would work, 1 otherwise.',
    'With --json it prints one object: {"ok": boolean, "uri": string, "checks": [{"id": string, "status": "ok"|"warn"|"fail", "message": string, "fix"?: string, "details"?: {NAME: [string]}}]}, checks in the order above.',
  ].join('\n\n');

  static override examples = [
    { description: 'Check the host', command: '<%= config.bin %> doctor' },
    { description: 'Judge VM sandboxes instead of containers, as JSON', command: '<%= config.bin %> doctor -c qemu:///system --json' },
  ];

  static override enableJsonFlag = true;

  static override flags = {
    connect: Flags.string({ char: 'c', helpValue: 'URI', summary: 'the libvirt URI whose default vsb run is judged (default: lxc:///)' }),
  };

  async run(): Promise<DoctorReport> {
    const { flags } = await this.parse(Doctor);
    const { LibvirtConnector, resolve, SecurityModelRegistry } = await import('@vsb/core');
    const { assemble } = await import('../assemble');
    const { runDoctor } = await import('../doctor/run-doctor');
    const container = assemble([], process.env, this.config.getPluginsList());
    const report = await runDoctor(flags.connect ?? 'lxc:///', {
      connector: resolve(container, LibvirtConnector),
      securityModels: new SecurityModelRegistry(container).all().map((m) => m.id),
      initPath: guestInitPath(),
    });
    if (!this.jsonEnabled()) for (const check of report.checks) this.log(lineOf(check));
    process.exitCode = report.ok ? 0 : 1;
    return report;
  }
}

/** `ok   kvm: KVM usable`, or with what to do: `warn nbd: ...; fix: ...`. */
function lineOf(check: CheckResult): string {
  return `${check.status.padEnd(4)} ${check.id}: ${check.message}${check.fix ? `; fix: ${check.fix}` : ''}`;
}
