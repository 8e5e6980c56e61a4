import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { vsb } from './vsb';

/** Check ids in the documented order (the two libvirt lines: the judged URI first). */
const ORDER = [
  'guest-init',
  'libvirt lxc:///',
  'libvirt qemu:///system',
  'lxc-driver',
  'qemu-driver',
  'kvm',
  'security',
  'cgroups',
  'user-namespaces',
  'landlock',
  'guest-kernel',
  'nbd',
  'passt',
  'networks',
  'leftovers',
];

interface Report {
  ok: boolean;
  uri: string;
  checks: Array<{ id: string; status: string; message: string; fix?: string; details?: Record<string, string[]> }>;
}

describe('vsb doctor (against the real libvirtd)', () => {
  it('prints one ok/warn/fail line per check, in order, and exits 0 where a default run works', async () => {
    const r = await vsb(['doctor']);
    assert.equal(r.code, 0, r.stdout.toString() + r.stderr);
    assert.equal(r.stderr, '');
    const lines = r.stdout.toString().trimEnd().split('\n');
    assert.deepEqual(
      lines.map((l) => /^(?:ok  |warn|fail) (libvirt \S+|[\w-]+):/.exec(l)?.[1]),
      ORDER,
    );
    assert.match(lines[1]!, /^ok   libvirt lxc:\/\/\/: libvirtd \d+\.\d+\.\d+ answers$/);
    for (const line of lines.filter((l) => !l.startsWith('ok'))) assert.match(line, /; fix: ./, line);
    // This host's /dev/kvm is PVM: the doctor must say why VMs use TCG, as backend-qemu decides.
    const cpu = fs.readFileSync('/proc/cpuinfo', 'utf8');
    const kvm = lines.find((l) => l.includes(' kvm: '))!;
    if (fs.existsSync('/dev/kvm') && !/\b(vmx|svm)\b/.test(cpu)) assert.match(kvm, /^warn kvm: .*no VT-x\/AMD-V, so QEMU cannot use it: VMs run under TCG/);
    assert.match(lines.find((l) => l.includes(' guest-kernel: '))!, /--kernver candidates: \S+/);
  });

  it('--json prints the documented shape with the same checks', async () => {
    const r = await vsb(['doctor', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout.toString()) as Report;
    assert.equal(report.ok, true);
    assert.equal(report.uri, 'lxc:///');
    assert.deepEqual(
      report.checks.map((c) => c.id),
      ORDER,
    );
    for (const c of report.checks) {
      assert.ok(['ok', 'warn', 'fail'].includes(c.status), c.id);
      assert.equal(typeof c.message, 'string');
      assert.equal(c.fix === undefined, c.status === 'ok', c.id);
    }
  });

  it('fails (exit 1, ok false) when libvirtd does not answer on the judged URI, naming it and what to do', async () => {
    const uri = 'lxc+unix:///?socket=/nonexistent/libvirt-sock';
    const text = await vsb(['doctor', '-c', uri]);
    assert.equal(text.code, 1);
    assert.match(text.stdout.toString(), new RegExp(`^fail libvirt ${uri.replace(/[?+/]/g, '\\$&')}: no answer: .*; fix: start it with: `, 'm'));
    assert.match(text.stdout.toString(), /^fail lxc-driver: /m);
    const json = await vsb(['doctor', '-c', uri, '--json']);
    assert.equal(json.code, 1);
    const report = JSON.parse(json.stdout.toString()) as Report;
    assert.equal(report.ok, false);
    assert.equal(report.checks.find((c) => c.id === `libvirt ${uri}`)?.status, 'fail');
  });

  it("lists a dead run's state dir as a leftover and leaves it where it is", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-doctor-'));
    try {
      const dead = path.join(root, 'vsb-tdead');
      fs.mkdirSync(dead);
      // A pid above pid_max belongs to no process.
      fs.writeFileSync(path.join(dead, 'pid'), String(Number(fs.readFileSync('/proc/sys/kernel/pid_max', 'utf8')) + 1));
      const r = await vsb(['doctor', '--json'], { env: { VSB_STATE_ROOT: root } });
      const leftovers = (JSON.parse(r.stdout.toString()) as Report).checks.find((c) => c.id === 'leftovers')!;
      assert.equal(leftovers.status, 'warn');
      assert.match(leftovers.message, new RegExp(`1 state dir\\(s\\) of dead runs in ${root}`));
      assert.ok(leftovers.details?.paths?.includes(dead));
      assert.ok(fs.existsSync(dead), 'vsb doctor removed a state dir');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
