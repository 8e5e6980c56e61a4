import 'reflect-metadata';
import assert from 'node:assert/strict';
import { container } from 'tsyringe';
import { BackendRegistry, registerInstance, SandboxBackend, SandboxError, uriDriver } from '../src';
import type { BuildContext, ConsoleEndpoint, DomainDraft } from '../src';

function backend(id: string): SandboxBackend {
  return {
    id,
    kind: 'vm',
    claims: (uri: string) => uriDriver(uri) === id,
    build: (_c: BuildContext, _d: DomainDraft) => undefined,
    addConsole: (): ConsoleEndpoint => ({ devname: 'console1', guestPath: '/dev/tty2' }),
  };
}

describe('BackendRegistry', () => {
  it('finds the backend whose driver matches, remote transports included', () => {
    const c = container.createChildContainer();
    registerInstance(c, SandboxBackend, backend('qemu'));
    registerInstance(c, SandboxBackend, backend('lxc'));
    const reg = new BackendRegistry(c);
    assert.equal(reg.forUri('lxc:///').id, 'lxc');
    assert.equal(reg.forUri('qemu+ssh://host/system').id, 'qemu');
    assert.deepEqual(
      reg.all().map((b) => b.id),
      ['lxc', 'qemu'],
    );
  });

  it('names the URI and what is installed when nothing matches', () => {
    const c = container.createChildContainer();
    registerInstance(c, SandboxBackend, backend('qemu'));
    registerInstance(c, SandboxBackend, backend('lxc'));
    assert.throws(
      () => new BackendRegistry(c).forUri('xen:///'),
      (err: unknown) => {
        assert.ok(err instanceof SandboxError);
        assert.equal(err.code, 'VSB_NO_BACKEND');
        assert.equal(err.message, "no backend handles URI 'xen:///' (installed: lxc, qemu)");
        assert.equal(err.isUsage, true);
        return true;
      },
    );
  });

  it('says none are installed instead of throwing from tsyringe', () => {
    assert.throws(() => new BackendRegistry(container.createChildContainer()).forUri('lxc:///'), /no backend handles URI 'lxc:\/\/\/' \(installed: none\)/);
  });
});

describe('uriDriver', () => {
  it('reads the driver of local and remote URIs', () => {
    assert.equal(uriDriver('lxc:///'), 'lxc');
    assert.equal(uriDriver('qemu:///session'), 'qemu');
    assert.equal(uriDriver('QEMU+tls://h.example/system'), 'qemu');
    assert.equal(uriDriver('not a uri'), '');
  });
});
