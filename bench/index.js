#!/usr/bin/env node
'use strict';
// `npm run bench`: vsb against baselines measured in the same interleaved rounds (warm-up first,
// then SAMPLES rounds; each round runs every variant once, in turn), so the ratios hold on a
// shared, noisy machine. Prints a table of medians and ratios; writes the samples as JSON under
// bench/results/. Speed is never asserted in tests: this is where it is measured. ONLY=vm runs the
// VM rows alone, ONLY=exec those of vsb exec (bench/exec.js); SAMPLES, WARMUP and VM_SAMPLES set
// the rounds.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { floorOnce } = require('./libvirt-floor');
const { removeLibvirtLeftovers } = require('./libvirt-leftovers');
const { probePeers } = require('./peers');
const { median } = require('./stats');
const { check, runProcess } = require('./run-process');
const { execBench, execReport } = require('./exec');
const vmFloor = require('./vm');

const REPO = path.resolve(__dirname, '..');
const VSB = path.join(REPO, 'packages', 'cli', 'bin', 'run.js');
const NODE = process.execPath;
const SAMPLES = Number(process.env.SAMPLES ?? 10);
const WARMUP = Number(process.env.WARMUP ?? 2);
const BIG = 200_000_000;
// A VM boots for seconds under TCG: fewer rounds keep `npm run bench` under ~10 minutes.
const VM_SAMPLES = Number(process.env.VM_SAMPLES ?? 5);
const VM_BIG = 20_000_000;
const CONCURRENT = 16;

let seq = 0;
/** Every domain name the bench hands out: its own floors leave libvirt's files, which it removes at the end. */
const names = [];
const name = () => {
  names.push(`vsb-bench-${process.pid}-${seq++}`);
  return names[names.length - 1];
};
const vsbRun = (args, extra = []) => [NODE, [VSB, 'run', '-n', name(), ...extra, '--', ...args]];

/** Runs `variants` (name -> async () => sample) in WARMUP + SAMPLES interleaved rounds. */
async function rounds(title, variants, samples = SAMPLES, warmup = WARMUP) {
  const result = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let i = 0; i < warmup + samples; i++) {
    process.stderr.write(`\r${title}: round ${i + 1}/${warmup + samples}   `);
    for (const [key, sample] of Object.entries(variants)) {
      const value = await sample();
      if (i >= warmup) result[key].push(value);
    }
  }
  process.stderr.write('\n');
  return result;
}

/** Milliseconds of each `vsb: +Nms STEP` line of VSB_TIMING output. */
function marks(stderr) {
  return Object.fromEntries([...stderr.matchAll(/^vsb: \+(\d+)ms (\S+)$/gm)].map((m) => [m[2], Number(m[1])]));
}

/**
 * vsb's own time per step, from its timestamps (ms since the process started): each step is
 * [label, from mark, to mark], where no from mark is the process start and no to mark its exit.
 */
function breakdown(r, steps) {
  const m = marks(r.stderr);
  return Object.fromEntries(steps.map(([label, from, to]) => [label, (to ? m[to] : r.ms) - (from ? m[from] : 0)]));
}

const LXC_STEPS = [
  ['CLI load (Node + oclif + modules)', undefined, 'cli'],
  ['connect to libvirtd', 'cli', 'connect'],
  ['config + XML', 'connect', 'plan'],
  ['state dir + listen', 'plan', 'state'],
  ['createXML', 'state', 'create'],
  ['handshake', 'create', 'attach'],
  ['app', 'attach', 'app'],
  ['guest end (channel EOF)', 'app', 'guest-done'],
  ['teardown (state dir)', 'guest-done', 'exit'],
  ['process exit', 'exit', undefined],
];

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

async function startup(peers) {
  const timed = async (cmd, args, env) => check(await runProcess(cmd, args, { env }), cmd);
  const samples = await rounds('start-up', {
    vsb: async () => {
      const [cmd, args] = vsbRun(['/bin/true']);
      return timed(cmd, args, { VSB_TIMING: '1' });
    },
    'vsb (console-rpc)': async () => {
      const [cmd, args] = vsbRun(['/bin/true'], ['--transport', 'console-rpc']);
      return timed(cmd, args);
    },
    'libvirt floor (process)': () => timed(NODE, [path.join(__dirname, 'libvirt-floor.js'), name()]),
    'libvirt floor (in-process)': async () => ({ ms: await floorOnce(name()) }),
    ...Object.fromEntries(Object.entries(peers).map(([peer, prefix]) => [peer, () => timed(prefix[0], [...prefix.slice(1), '/bin/true'])])),
    'node -e 0': () => timed(NODE, ['-e', '0']),
  });
  const ms = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, v.map((s) => s.ms)]));
  const steps = samples.vsb.map((r) => breakdown(r, LXC_STEPS));
  const stepMedians = Object.fromEntries(Object.keys(steps[0]).map((k) => [k, median(steps.map((s) => s[k]))]));
  return { ms, steps: stepMedians };
}

async function throughput(peers) {
  const input = Buffer.alloc(BIG, 0x61);
  const rate = (flowMs, toEndMs) => ({ flow: BIG / 1e6 / (flowMs / 1000), toEnd: BIG / 1e6 / (toEndMs / 1000) });
  const out = (cmd, args) => async () => {
    const r = check(await runProcess(cmd, args, { countStdout: true }), cmd);
    if (r.bytes !== BIG) throw new Error(`${cmd}: ${r.bytes} bytes, want ${BIG}`);
    return rate(r.outFlowMs, r.outMs);
  };
  const inp = (cmd, args) => async () => {
    const r = check(await runProcess(cmd, args, { input }), cmd);
    return rate(r.inFlowMs, r.inMs);
  };
  const head = ['head', '-c', String(BIG), '/dev/zero'];
  const sink = ['sh', '-c', 'cat > /dev/null'];
  return rounds('throughput', {
    'stdout vsb': () => out(...vsbRun(head))(),
    'stdout vsb (console-rpc)': () => out(...vsbRun(head, ['--transport', 'console-rpc']))(),
    'stdout direct': out(head[0], head.slice(1)),
    ...Object.fromEntries(Object.entries(peers).map(([peer, prefix]) => [`stdout ${peer}`, out(prefix[0], [...prefix.slice(1), ...head])])),
    'stdin vsb': () => inp(...vsbRun(sink))(),
    'stdin vsb (console-rpc)': () => inp(...vsbRun(sink, ['--transport', 'console-rpc']))(),
    'stdin direct': inp(sink[0], sink.slice(1)),
  });
}

async function vm() {
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
    const samples = await rounds('VM', Object.fromEntries(Object.entries(variants).map(([key, run]) => [key, async () => {
      await idle();
      return run();
    }])), VM_SAMPLES, 1);
    const steps = samples['vsb (VM)'].map((r) => breakdown(r, VM_STEPS));
    return {
      ms: {
        'vsb (VM)': samples['vsb (VM)'].map((s) => s.ms),
        'bare QEMU floor': samples['bare QEMU floor'].map((s) => s.ms),
        'libvirt VM floor (to power-off)': samples['libvirt VM floor'].map((s) => s.ms),
        'libvirt VM floor (to "stopped")': samples['libvirt VM floor'].map((s) => s.stopped),
      },
      steps: Object.fromEntries(Object.keys(steps[0]).map((k) => [k, median(steps.map((s) => s[k]))])),
      stdoutMBps: samples['stdout vsb (VM)'].map((s) => s.mbps),
      cmdline: floor.vm.cmdline,
    };
  } finally {
    floor.cleanup();
  }
}

async function concurrency() {
  return rounds('concurrency', {
    [`${CONCURRENT} at once`]: async () => {
      const t0 = performance.now();
      const runs = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => runProcess(...vsbRun(['sh', '-c', `echo ${i}`]))));
      const ms = performance.now() - t0;
      const correct = runs.filter((r, i) => r.code === 0 && r.stdout === `${i}\n`).length;
      return { ms, correct };
    },
  });
}

async function cli() {
  const timed = (args) => async () => check(await runProcess(NODE, args), args.join(' ')).ms;
  const rss = (args) => async () => check(await runProcess(...vsbRun(args), { rss: true, countStdout: true }), 'vsb run').rssKb;
  const head = ['head', '-c', String(BIG), '/dev/zero'];
  const input = Buffer.alloc(BIG, 0x61);
  return rounds('CLI', {
    'vsb --help': timed([VSB, '--help']),
    'vsb run --help': timed([VSB, 'run', '--help']),
    'node -e 0': timed(['-e', '0']),
    'peak RSS vsb run /bin/true': rss(['/bin/true']),
    'peak RSS vsb run 200 MB stdout': rss(head),
    'peak RSS vsb run 200 MB stdin': async () => check(await runProcess(...vsbRun(['sh', '-c', 'cat > /dev/null']), { rss: true, input }), 'vsb run').rssKb,
  });
}

function machine() {
  const cmd = (c, a) => {
    try {
      return execFileSync(c, a, { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    cpu: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown'}`,
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    kernel: os.release(),
    node: process.version,
    libvirt: cmd('virsh', ['-c', 'lxc:///', 'version', '--daemon']).split('\n').filter(Boolean).join('; '),
    loadAverageAtStart: os.loadavg().map((x) => +x.toFixed(2)),
    shared: 'other engineers ran tests on the same libvirtd and cores meanwhile',
  };
}

const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : '-');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '-');

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ')).join('\n');
}

function vmMedians(v) {
  const vmMs = Object.fromEntries(Object.entries(v.ms).map(([key, x]) => [key, median(x)]));
  return { vmMs, vmFloorMs: vmMs['bare QEMU floor'], vmStdout: median(v.stdoutMBps) };
}

/** The VM section's tables, as lines; `stdoutDirect` (MB/s) from the throughput rounds, if they ran. */
function vmTables(v, stdoutDirect) {
  const { vmMs, vmFloorMs, vmStdout } = vmMedians(v);
  return ['', table([
    [`VM: vsb run -c ${vmFloor.QEMU_URI} -- /bin/true (${VM_SAMPLES} samples)`, 'median ms', 'x bare QEMU'],
    ...Object.entries(vmMs).map(([key, x]) => [key, f0(x), f2(x / vmFloorMs)]),
  ]), '', table([
    ['vsb run -c qemu:///system -- /bin/true, its own steps', 'median ms'],
    ...Object.entries(v.steps).map(([key, x]) => [key, f0(x)]),
  ]), '', table([
    [`VM stdio channel, ${VM_BIG / 1e6} MB stdout`, 'median MB/s', 'x direct'],
    ['stdout vsb (VM)', f0(vmStdout), f2(vmStdout / stdoutDirect)],
  ]), `VM kernel command line: ${v.cmdline}`];
}

/** The exec section (bench/exec.js) with this bench's rounds and sizes. */
function execSection() {
  return execBench({ rounds, name, samples: SAMPLES, vmSamples: VM_SAMPLES, bytes: BIG, vmBytes: VM_BIG });
}

async function main() {
  if (process.env.ONLY === 'exec') {
    const e = execReport(await execSection(), table, f0, f2);
    console.log([...e.lines, '', table([['target', ''], ...Object.entries(e.targets)])].join('\n'));
    return;
  }
  if (process.env.ONLY === 'vm') {
    // The VM rows alone (e.g. before/after a boot change); nothing is written to bench/results.
    console.log(vmTables(await vm()).join('\n'));
    return;
  }
  const started = new Date();
  const info = machine();
  const peers = await probePeers();
  const s = await startup(peers.working);
  const t = await throughput(peers.working);
  const v = await vm();
  const c = await concurrency();
  const e = execReport(await execSection(), table, f0, f2);
  const k = await cli();
  const med = (xs) => median(xs);
  const st = Object.fromEntries(Object.entries(s.ms).map(([key, v]) => [key, med(v)]));
  // Flow (first to last byte) decides; to the exit adds each process's end (vsb's EXIT and QUIT).
  const tp = Object.fromEntries(Object.entries(t).map(([key, v]) => [key, med(v.map((x) => x.flow))]));
  const tpEnd = Object.fromEntries(Object.entries(t).map(([key, v]) => [key, med(v.map((x) => x.toEnd))]));
  const cc = c[`${CONCURRENT} at once`];
  const ccMs = med(cc.map((x) => x.ms));
  const allCorrect = cc.every((x) => x.correct === CONCURRENT);
  const kk = Object.fromEntries(Object.entries(k).map(([key, v]) => [key, med(v)]));
  const floor = st['libvirt floor (process)'];
  const floorIn = st['libvirt floor (in-process)'];
  const { vmMs, vmFloorMs, vmStdout } = vmMedians(v);
  const cliLoad = s.steps['CLI load (Node + oclif + modules)'];
  const rssTrue = kk['peak RSS vsb run /bin/true'];
  const yes = (ok) => (ok ? 'met' : 'NOT met');
  const targets = {
    'stdout through LXC >= 0.9x direct': yes(tp['stdout vsb'] >= 0.9 * tp['stdout direct']),
    'stdin through LXC >= 0.9x direct': yes(tp['stdin vsb'] >= 0.9 * tp['stdin direct']),
    'peak RSS while 200 MB flow <= RSS of /bin/true + 10 MB': yes(Math.max(kk['peak RSS vsb run 200 MB stdout'], kk['peak RSS vsb run 200 MB stdin']) <= rssTrue + 10 * 1024),
    'VM /bin/true <= 1.2x bare QEMU floor': yes(vmMs['vsb (VM)'] <= 1.2 * vmFloorMs),
    'LXC /bin/true <= 0.9x libvirt floor (process)': yes(st.vsb <= 0.9 * floor),
    'CLI load <= 1.3x node -e 0': yes(cliLoad <= 1.3 * st['node -e 0']),
    'start-up <= 1.15x libvirt floor (process)': yes(st.vsb <= 1.15 * floor),
    'start-up <= 1.15x libvirt floor (in-process)': yes(st.vsb <= 1.15 * floorIn),
    'stdout >= 100 MB/s and >= 30% of direct': yes(tp['stdout vsb'] >= 100 && tp['stdout vsb'] >= 0.3 * tp['stdout direct']),
    'vsb --help <= 1.5x node -e 0': yes(kk['vsb --help'] <= 1.5 * kk['node -e 0']),
    'peak RSS of vsb run -- /bin/true <= 100 MB': yes(kk['peak RSS vsb run /bin/true'] <= 100 * 1024),
    '(also) peak RSS while 200 MB flow <= 100 MB': yes(kk['peak RSS vsb run 200 MB stdout'] <= 100 * 1024),
    ...e.targets,
  };
  const out = [];
  out.push(`vsb bench, ${started.toISOString()}, ${SAMPLES} samples after ${WARMUP} warm-up rounds, medians; ${info.cpu}, ${info.kernel}, Node ${info.node}; machine shared`);
  out.push('', table([
    ['start-up (spawn to exit)', 'median ms', 'x floor (process)', 'x floor (in-process)'],
    ...Object.entries(st).map(([key, v]) => [key, f0(v), f2(v / floor), f2(v / floorIn)]),
  ]));
  out.push('', table([
    ['vsb run -- /bin/true, its own steps', 'median ms'],
    ...Object.entries(s.steps).map(([key, v]) => [key, f0(v)]),
  ]));
  out.push('', table([
    ['throughput, 200 MB (median)', 'flow MB/s', 'x direct', 'to exit MB/s', 'x direct'],
    ...Object.entries(tp).map(([key, x]) => {
      const direct = key.startsWith('stdout') ? 'stdout direct' : 'stdin direct';
      return [key, f0(x), f2(x / tp[direct]), f0(tpEnd[key]), f2(tpEnd[key] / tpEnd[direct])];
    }),
  ]));
  out.push('', table([
    ['peers that do not start here', 'error'],
    ...Object.entries(peers.failed),
  ]));
  out.push(...vmTables(v, tp['stdout direct']));
  out.push('', table([
    [`concurrency: ${CONCURRENT} x vsb run at once`, 'median'],
    ['all correct in every round', allCorrect ? 'yes' : `no (${cc.map((x) => x.correct).join(',')})`],
    ['total ms', f0(ccMs)],
    ['sandboxes/s', f2(CONCURRENT / (ccMs / 1000))],
  ]));
  out.push(...e.lines);
  out.push('', table([
    ['CLI cost', 'median', 'x node -e 0'],
    ...['vsb --help', 'vsb run --help', 'node -e 0'].map((key) => [key + ' (ms)', f0(kk[key]), f2(kk[key] / kk['node -e 0'])]),
    ['vsb run CLI load (ms, from its timestamps)', f0(cliLoad), f2(cliLoad / st['node -e 0'])],
    ...['peak RSS vsb run /bin/true', 'peak RSS vsb run 200 MB stdout', 'peak RSS vsb run 200 MB stdin'].map((key) => [key + ' (MB)', f0(kk[key] / 1024), '']),
  ]));
  out.push('', table([['target', ''], ...Object.entries(targets)]));
  const text = out.join('\n');
  console.log(text);
  const dir = path.join(__dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${started.toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify({
    started: started.toISOString(), samples: SAMPLES, warmup: WARMUP, machine: info,
    peersFailed: peers.failed,
    medians: { startupMs: st, vsbStepsMs: s.steps, throughputMBps: tp, throughputToExitMBps: tpEnd, vmMs, vmStepsMs: v.steps, vmStdoutMBps: vmStdout, exec: e.medians, concurrency: { ms: ccMs, allCorrect, perSecond: CONCURRENT / (ccMs / 1000) }, cli: kk },
    targets, table: text,
    samplesRaw: { startupMs: s.ms, throughputMBps: t, vmMs: v.ms, vmStdoutMBps: v.stdoutMBps, concurrency: cc, cli: k },
  }, null, 2));
  console.log(`\nwritten: ${path.relative(REPO, file)}`);
}

main()
  .finally(() => removeLibvirtLeftovers(names))
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
