import 'reflect-metadata';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { container } from 'tsyringe';
import { ConsoleTransport, corePlugin, LibvirtConnector, planSandbox, SandboxContext } from '@vsb/core';
import type { BackendAssets, LibvirtConnection, VsbPlugin } from '@vsb/core';
import { consoleRpcPlugin } from '@vsb/console-rpc';
import { guestInitPath } from '@vsb/cli';
import { goldenFile, sampleConfig, validateDomainXml } from '@vsb/test-support';
import { vmMountsPlugin } from '@vsb/vm-boot';

const REPO = path.resolve(__dirname, '..', '..', '..');
const GOLDEN = path.join(REPO, 'test', 'examples', 'golden');
const { xenPlugin } = require(path.join(REPO, 'examples', 'vsb-plugin-xen')) as { xenPlugin: VsbPlugin };

/** What console-rpc does in prepare: one more console of the backend's. */
const consoleTransport: ConsoleTransport = {
  id: 'test-console',
  priority: 0,
  supports: () => true,
  prepare: (ctx, backend, draft) => {
    const ep = backend.addConsole(ctx, draft);
    return { path: ep.guestPath, hostName: ep.devname };
  },
  attach: () => Promise.reject(new Error('not in golden tests')),
};

describe("examples/vsb-plugin-xen (Xen does not run here: its XML is checked against libvirt's schema)", () => {
  it("builds a PVH domain with 9p root, config and host-bind shares from vsb's VM mapper", () => {
    const c = container.createChildContainer();
    // vmMountsPlugin brings the mapper of every backend of kind 'vm'.
    for (const plugin of [corePlugin, vmMountsPlugin, xenPlugin]) plugin.register(c);
    c.registerInstance(ConsoleTransport, consoleTransport);
    const config = sampleConfig({
      uri: 'xen:///',
      mounts: [
        { type: 'host-bind', target: '/data', source: '/srv', readonly: false },
        { type: 'host-bind', target: '/ro', source: '/usr/share', readonly: true },
        { type: 'ram', target: '/tmp', sizeBytes: 64 * 1024 * 1024 },
      ],
    });
    const plan = planSandbox(c, config, {
      stateDir: '/run/vsb/golden',
      hostSecurityModels: ['none'],
      // What prepareBoot (@vsb/vm-boot's) returns, minus what differs between hosts.
      assets: { kernel: '/var/cache/vsb/vmlinux-6.1.0-57-amd64-0123456789abcdef', initrd: '/var/cache/vsb/initrd-fedcba9876543210' } as BackendAssets,
    });
    validateDomainXml(plan.xml);
    assert.equal(plan.xml, goldenFile(path.join(GOLDEN, 'xen-pvh.xml'), plan.xml));
  });

  it("reaches libvirt through vsb's real start path with a fake LibvirtConnector, and leaves nothing behind", async () => {
    const c = container.createChildContainer();
    for (const plugin of [corePlugin, vmMountsPlugin, consoleRpcPlugin, xenPlugin]) plugin.register(c);
    // What a Xen host's libvirtd would be handed: the XML is recorded, then the create fails.
    const created: string[] = [];
    const connection: LibvirtConnection = {
      uri: 'xen:///',
      version: async () => 9000000,
      capabilities: async () => '<capabilities/>',
      listDomains: async () => [],
      createXML: async (xml) => {
        created.push(xml);
        throw new Error('no Xen on this host');
      },
      lookupByName: async () => null,
      lookupNetwork: async () => null,
      nwfilterExists: async () => false,
      onLifecycle: () => () => undefined,
      close: async () => undefined,
    };
    c.registerInstance(LibvirtConnector, { open: async () => connection } satisfies LibvirtConnector);
    const config = sampleConfig({
      name: `vsb-t${process.pid.toString(16)}x`,
      uri: 'xen:///',
      mounts: [{ type: 'host-bind', target: '/data', source: '/tmp', readonly: false }],
    });
    const stdio = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() };
    await assert.rejects(new SandboxContext(c).start(config, { initPath: guestInitPath(), stdio }), /no Xen on this host/);
    assert.equal(created.length, 1);
    validateDomainXml(created[0]!);
    assert.match(created[0]!, /<kernel>\/var\/cache\/vsb\/vmlinux-[^<]+<\/kernel>/);
    assert.equal(fs.existsSync(SandboxContext.stateDirOf(config.name)), false);
  });
});
