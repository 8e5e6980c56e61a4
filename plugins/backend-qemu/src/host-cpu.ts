import fs from 'node:fs/promises';

/** What a VM sandbox's boot depends on in the local CPU. */
export interface HostCpu {
  /**
   * Whether the CPU has VT-x or AMD-V. libvirt offers KVM whenever /dev/kvm exists, but a /dev/kvm
   * without them (PVM, as on these machines) only runs specially built guests: the host's kernel
   * crashed in it here, so such hosts use TCG.
   */
  readonly hardwareVirt: boolean;
  /**
   * The TSC rate in kHz (`cpu MHz` on constant-TSC CPUs). A TCG guest's TSC runs at the host's rate;
   * passed as `tsc_early_khz`, since calibrating it under emulation hung 1 boot in 6 here.
   */
  readonly tscKhz?: number;
}

/** Reads /proc/cpuinfo (the first CPU's entry stands for all). */
export async function hostCpu(cpuinfo = '/proc/cpuinfo'): Promise<HostCpu> {
  const text = await fs.readFile(cpuinfo, 'utf8').catch(() => '');
  const flags = new Set((/^flags\s*:(.*)$/m.exec(text)?.[1] ?? '').trim().split(/\s+/));
  const mhz = /^cpu MHz\s*:\s*([\d.]+)/m.exec(text);
  return {
    hardwareVirt: flags.has('vmx') || flags.has('svm'),
    tscKhz: flags.has('constant_tsc') && mhz ? Math.round(Number(mhz[1]) * 1000) : undefined,
  };
}
