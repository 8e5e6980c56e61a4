'use strict';
// The VM rows: `vsb run -c qemu:///system -- /bin/true` against its floors (bench/vm.js), vsb's
// own steps, and the stdout of the VM's stdio channel. ONLY=vm runs them alone.
const vmFloor = require('./vm');
const { name, vsbRun } = require('./names');
const { medianSteps, rounds } = require('./rounds');
const { check, runProcess } = require('./run-process');
const { VM_BIG, VM_SAMPLES } = require('./settings');
const { median } = require('./stats');
const { f0, f2, table } = require('./table');

/** A VM run's steps: the boot is in 'boot + handshake'. */
const VM_STEPS = [
  ['CLI load (Node + oclif + modules)', undefined, 'cli'],
  ['kernel + initrd (cached)', 'cli', 'prepare'],
  ['connect to libvirtd', 'prepare', 'connect'],
  ['config + XML + state dir', 'connect', 'state'],
  ['createXML', 'state', 'create'],
  ['boot + handshake', 'create', 'attach'],
  ['app', 'attach', 'app'],
  ['guest end (channel EOF)', 'app', 'guest-done'],
  ['process exit', 'exit', undefined],
];

/** The VM rounds, each variant starting from an idle libvirt: ms samples, step medians, stdout MB/s, the kernel command line. */
async function vmSection() {
  const floor = vmFloor.prepareFloor();
  const vsbVm = (args, extra = []) => vsbRun(args, ['-c', vmFloor.QEMU_URI, ...extra]);
  try {
    const idle = () => vmFloor.libvirtIdle(`vsb-bench-${process.pid}-`);
    const variants = {
      'vsb (VM)': async () => check(await runProcess(...vsbVm(['/bin/true']), { env: { VSB_TIMING: '1' } }), 'vsb VM'),
      'bare QEMU floor': async () => ({ ms: await vmFloor.bareQemuOnce(floor) }),
      'libvirt VM floor': async () => {
        const t = await vmFloor.libvirtVmOnce(floor, name());
        return { ms: t.poweroff, stopped: t.stopped };
      },
      'stdout vsb (VM)': async () => {
        const r = check(await runProcess(...vsbVm(['head', '-c', String(VM_BIG), '/dev/zero']), { countStdout: true }), 'vsb VM stdout');
        if (r.bytes !== VM_BIG) throw new Error(`vsb VM stdout: ${r.bytes} bytes, want ${VM_BIG}`);
        return { mbps: VM_BIG / 1e6 / (r.outFlowMs / 1000) };
      },
    };
    const samples = await rounds(
      'VM',
      Object.fromEntries(
        Object.entries(variants).map(([key, run]) => [
          key,
          async () => {
            await idle();
            return run();
          },
        ]),
      ),
      VM_SAMPLES,
      1,
    );
    return {
      ms: {
        'vsb (VM)': samples['vsb (VM)'].map((s) => s.ms),
        'bare QEMU floor': samples['bare QEMU floor'].map((s) => s.ms),
        'libvirt VM floor (to power-off)': samples['libvirt VM floor'].map((s) => s.ms),
        'libvirt VM floor (to "stopped")': samples['libvirt VM floor'].map((s) => s.stopped),
      },
      steps: medianSteps(samples['vsb (VM)'], VM_STEPS),
      stdoutMBps: samples['stdout vsb (VM)'].map((s) => s.mbps),
      cmdline: floor.vm.cmdline,
    };
  } finally {
    floor.cleanup();
  }
}

/** The medians of the VM rounds: ms of each variant, the bare QEMU floor, stdout MB/s. */
function vmMedians(v) {
  const vmMs = Object.fromEntries(Object.entries(v.ms).map(([key, x]) => [key, median(x)]));
  return { vmMs, vmFloorMs: vmMs['bare QEMU floor'], vmStdout: median(v.stdoutMBps) };
}

/** The VM section's tables, as lines; `stdoutDirect` (MB/s) from the throughput rounds, if they ran. */
function vmTables(v, stdoutDirect) {
  const { vmMs, vmFloorMs, vmStdout } = vmMedians(v);
  return [
    '',
    table([
      [`VM: vsb run -c ${vmFloor.QEMU_URI} -- /bin/true (${VM_SAMPLES} samples)`, 'median ms', 'x bare QEMU'],
      ...Object.entries(vmMs).map(([key, x]) => [key, f0(x), f2(x / vmFloorMs)]),
    ]),
    '',
    table([['vsb run -c qemu:///system -- /bin/true, its own steps', 'median ms'], ...Object.entries(v.steps).map(([key, x]) => [key, f0(x)])]),
    '',
    table([
      [`VM stdio channel, ${VM_BIG / 1e6} MB stdout`, 'median MB/s', 'x direct'],
      ['stdout vsb (VM)', f0(vmStdout), f2(vmStdout / stdoutDirect)],
    ]),
    `VM kernel command line: ${v.cmdline}`,
  ];
}

module.exports = { vmSection, vmMedians, vmTables };
