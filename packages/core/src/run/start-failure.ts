import fs from 'node:fs/promises';
import type { HostLeftovers } from '../host/host-leftovers';
import type { LibvirtConnection, LibvirtConnector } from '../extension-points/libvirt-connector';
import { messageOf } from '../message-of';
import { uriDriver } from '../extension-points/registries';
import type { SandboxBackend } from '../extension-points/sandbox-backend';
import { SandboxError } from '../sandbox-error';

/** Opens the run's connection; a failure is a SandboxError saying what to do (start libvirtd, be root for LXC). */
export async function openConnection(connector: LibvirtConnector, uri: string): Promise<LibvirtConnection> {
  return connector.open(uri).catch((err: unknown) => {
    // libvirt's LXC driver exists only in the system daemon, which an ordinary user may not use.
    if (uriDriver(uri) === 'lxc' && (process.getuid?.() ?? 0) !== 0) {
      throw new SandboxError(
        'VSB_NO_LIBVIRTD',
        `cannot connect to libvirt at '${uri}': LXC sandboxes need root (libvirt's LXC driver runs only in the system daemon)`,
        ['run vsb as root, or use a VM sandbox of your own: vsb run -c qemu:///session -- ...'],
        { cause: err },
      );
    }
    throw new SandboxError(
      'VSB_NO_LIBVIRTD',
      `cannot connect to libvirt at '${uri}': ${messageOf(err)}`,
      ['is libvirtd running? start it with: npm run setup (from the vsb checkout), or: libvirtd -d'],
      { cause: err },
    );
  });
}

/** A failed createXML, with the cause the backend finds in what libvirt's log got since `from` (its size before the start). */
export async function explainedStartFailure(err: unknown, backend: SandboxBackend, leftovers: HostLeftovers | undefined, from: number): Promise<unknown> {
  if (!backend.startFailureCause || !leftovers) return err;
  // virtlogd writes the log on its own time: the failure's lines may come after libvirt's answer,
  // up to libvirt's own "shutting down" line (waited for at most 3 s, on this failure path only).
  let log = '';
  for (let attempt = 0; attempt < 60 && !/shutting down/.test(log); attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 50));
    log = await fs.readFile(leftovers.log).then(
      (b) => b.subarray(from).toString('utf8'),
      () => '',
    );
  }
  const cause = backend.startFailureCause(log);
  // libvirt's message may hold all of QEMU's stderr, but only its first line is shown.
  if (cause === undefined || messageOf(err).split('\n')[0]!.includes(cause)) return err;
  return new SandboxError('VSB_LIBVIRT', `${backend.id} could not start the sandbox: ${cause}`, [], { cause: err });
}
