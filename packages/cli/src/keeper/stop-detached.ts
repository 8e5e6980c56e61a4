import fs from 'node:fs';
import { quoteValue, SandboxError } from '@vsb/core';
import { controlRequest } from './control-socket';
import type { DetachedSandbox } from './detached-sandbox';

/** How long the keeper may take to answer beyond the grace time (its own teardown) before it is killed. */
const ANSWER_MS = 10_000;
/** How long the state dir's watchdog may take to remove it once the keeper is gone. */
const GONE_MS = 5_000;

/** What {@link stopDetached} does to a keeper that does not answer (a seam for unit tests). */
export interface StopHost {
  kill(pid: number): void;
}

const host: StopHost = { kill: (pid) => process.kill(pid, 'SIGKILL') };

/**
 * `vsb stop`: asks the keeper to end the sandbox (SIGTERM to the app, destroyed after `graceMs`)
 * and resolves once it is gone, state dir included. A keeper that does not answer in time is
 * killed (AUTODESTROY ends the domain, the watchdog removes the state dir); one that is gone
 * already has its watchdog waited for.
 */
export async function stopDetached(sandbox: DetachedSandbox, graceMs: number, killer: StopHost = host): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const answer = await Promise.race([
    controlRequest(sandbox.stateDir, { op: 'stop', graceMs }).then(
      (reply) => reply.ok,
      () => false,
    ),
    new Promise<'timeout'>((resolve) => (timer = setTimeout(resolve, graceMs + ANSWER_MS, 'timeout'))),
  ]);
  clearTimeout(timer);
  if (answer === true) return;
  if (answer === 'timeout') {
    try {
      killer.kill(sandbox.metadata.pid);
    } catch {
      // Gone meanwhile.
    }
  }
  const end = Date.now() + GONE_MS;
  while (fs.existsSync(sandbox.stateDir) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  if (fs.existsSync(sandbox.stateDir)) {
    throw new SandboxError(
      'VSB_INTERNAL',
      `could not stop ${quoteValue(sandbox.metadata.name)}: its keeper (pid ${sandbox.metadata.pid}) did not answer and ${sandbox.stateDir} is still there`,
    );
  }
}
