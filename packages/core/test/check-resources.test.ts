import assert from 'node:assert/strict';
import { checkResources } from '../src/plan/check-resources';
import type { SandboxBackend } from '../src/extension-points/sandbox-backend';
import type { SandboxConfig } from '../src/sandbox-config';

const GiB = 1024 ** 3;
const container = { id: 'lxc', userNamespace: true } as SandboxBackend;
const vm = { id: 'qemu' } as SandboxBackend;
const config = (c: Partial<SandboxConfig>) => ({ memoryBytes: GiB, ...c }) as SandboxConfig;

describe('checkResources', () => {
  it('accepts memory up to the host total, and --pids where the backend bounds processes', () => {
    checkResources(config({ memoryBytes: 4 * GiB, pids: 10 }), container, 4 * GiB);
    checkResources(config({}), vm, 4 * GiB);
  });

  it('refuses memory beyond the host and --pids on a VM, naming the flag', () => {
    assert.throws(() => checkResources(config({ memoryBytes: 4 * GiB + 1 }), container, 4 * GiB), {
      code: 'VSB_USAGE',
      message: '--memory: 4096 MiB is more than this host has (4096 MiB)',
    });
    assert.throws(() => checkResources(config({ pids: 0 }), vm, 4 * GiB), {
      code: 'VSB_USAGE',
      message: '--pids: the qemu backend does not bound processes (a VM is bounded by its --memory)',
    });
  });
});
