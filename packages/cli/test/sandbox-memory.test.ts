import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SandboxMemory } from '../src/record/sandbox-memory';

describe('SandboxMemory', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-cgroup-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function cgroup(rel: string, file: string, value: string): string {
    fs.mkdirSync(path.join(root, rel), { recursive: true });
    fs.writeFileSync(path.join(root, rel, file), value);
    return path.join(root, rel, file);
  }

  it("finds libvirt's v1 memory cgroup of the domain and keeps the last peak once it is gone", () => {
    const v1 = `35 31 0:32 / ${root}/memory rw,relatime - cgroup cgroup rw,memory\n`;
    const file = cgroup('memory/machine/lxc-123-vsb-x.libvirt-lxc', 'memory.max_usage_in_bytes', '4096\n');
    cgroup('memory/machine/lxc-124-vsb-xy.libvirt-lxc', 'memory.max_usage_in_bytes', '1\n');
    const memory = SandboxMemory.find('vsb-x', v1)!;
    assert.equal(memory.peak(), 4096);
    fs.rmSync(path.dirname(file), { recursive: true });
    assert.equal(memory.peak(), 4096);
  });

  it("reads memory.peak of cgroup2 and systemd's escaped scope names", () => {
    const v2 = `29 23 0:27 / ${root}/unified rw - cgroup2 cgroup2 rw\n`;
    cgroup('unified/machine.slice/machine-qemu\\x2d3\\x2dvsb\\x2dx.scope', 'memory.peak', '8192');
    assert.equal(SandboxMemory.find('vsb-x', v2)?.peak(), 8192);
  });

  it('reads what the sandbox uses now (vsb ps): memory.usage_in_bytes of v1, memory.current of cgroup2', () => {
    const v1 = `35 31 0:32 / ${root}/memory rw,relatime - cgroup cgroup rw,memory\n`;
    cgroup('memory/machine/lxc-123-vsb-x.libvirt-lxc', 'memory.max_usage_in_bytes', '4096\n');
    const usage = cgroup('memory/machine/lxc-123-vsb-x.libvirt-lxc', 'memory.usage_in_bytes', '1024\n');
    const memory = SandboxMemory.find('vsb-x', v1)!;
    assert.equal(memory.inUse(), 1024);
    fs.rmSync(path.dirname(usage), { recursive: true });
    assert.equal(memory.inUse(), undefined, 'nothing once the domain is gone');
    const v2 = `29 23 0:27 / ${root}/unified rw - cgroup2 cgroup2 rw\n`;
    cgroup('unified/machine/qemu-3-vsb-y.libvirt-qemu', 'memory.peak', '8192');
    cgroup('unified/machine/qemu-3-vsb-y.libvirt-qemu', 'memory.current', '2048');
    assert.equal(SandboxMemory.find('vsb-y', v2)?.inUse(), 2048);
  });

  it('reads memory.current of a cgroup2 without memory.peak (Linux before 5.19); its peak is unknown', () => {
    const v2 = `29 23 0:27 / ${root}/unified rw - cgroup2 cgroup2 rw\n`;
    cgroup('unified/machine/qemu-4-vsb-z.libvirt-qemu', 'memory.current', '2048');
    const memory = SandboxMemory.find('vsb-z', v2);
    assert.equal(memory?.inUse(), 2048);
    assert.equal(memory?.peak(), undefined);
  });

  it('is undefined when no cgroup belongs to the domain (a remote URI)', () => {
    assert.equal(SandboxMemory.find('vsb-x', `35 31 0:32 / ${root}/memory rw - cgroup cgroup rw,memory\n`), undefined);
  });
});
