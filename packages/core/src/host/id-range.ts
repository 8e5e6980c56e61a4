import crypto from 'node:crypto';
import net from 'node:net';
import { SandboxError } from '../sandbox-error';

/** Ids of one sandbox's user namespace: inside 0..65535, on the host `base`..`base + 65535`. */
export const ID_RANGE_SIZE = 0x10000;
/**
 * First host id of the ranges: above any real user and systemd's container ranges end at
 * 0x6fffffff, but below QEMU's dynamic DAC uids (0x70000000 + 24 bits, security-svirt).
 */
export const ID_RANGE_FIRST = 0x60000000;
/** Number of ranges, so the last ends at 0x6fffffff. */
export const ID_RANGE_COUNT = 0x1000;

/** A host id range held for one running sandbox; `release()` gives it back. */
export interface IdRange {
  readonly base: number;
  release(): void;
}

/**
 * Claims a host uid/gid range no other running sandbox has. The claim is an abstract unix socket
 * (`\0vsb-ids-N`) this process listens on: binding one is atomic, and the kernel frees it when the
 * process dies, even by SIGKILL, so there is no lock file and nothing stale to clean. The first
 * range tried comes from the name, so a name tends to keep its range.
 */
export async function claimIdRange(name: string): Promise<IdRange> {
  const first = crypto.createHash('sha256').update(name).digest().readUInt32BE(0) % ID_RANGE_COUNT;
  const claim = await claimSlot('vsb-ids', first, ID_RANGE_COUNT);
  if (!claim) throw new SandboxError('VSB_NO_ID_RANGE', `no free user namespace id range: ${ID_RANGE_COUNT} sandboxes are running on this host`);
  return { base: ID_RANGE_FIRST + claim.slot * ID_RANGE_SIZE, release: claim.release };
}

/** A number held by this process among the running sandboxes of the host; `release()` gives it back. */
export interface Slot {
  readonly slot: number;
  release(): void;
}

/**
 * Claims the first free slot from `first` on (wrapping at `count`) as the abstract unix socket
 * `\0PREFIX-N`, with the same guarantees as {@link claimIdRange}; undefined when all are taken.
 */
export async function claimSlot(prefix: string, first: number, count: number): Promise<Slot | undefined> {
  for (let i = 0; i < count; i++) {
    const slot = (first + i) % count;
    const server = await listenAbstract(`\0${prefix}-${slot}`);
    if (server) {
      server.unref();
      return { slot, release: () => server.close() };
    }
  }
  return undefined;
}

function listenAbstract(path: string): Promise<net.Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolve(undefined) : reject(err)));
    server.listen({ path }, () => resolve(server));
  });
}
