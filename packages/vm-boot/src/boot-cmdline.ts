import { GUEST_CONFIG_FILE, SandboxError } from '@vsb/core';
import type { VmBootShares } from './vm-boot-shares';

/**
 * The kernel command line of a VM sandbox: the backend's own words (console, tuning), then the
 * shares for stage 1 as `vsb_root=TAG vsb_config=TAG vsb_9p=TRANSPORT`, which the kernel hands the
 * init as its environment (packages/guest-init/src/stage1.c reads them and has no default), then
 * `-- --stage1 vsb.conf`, the init's arguments.
 */
export function bootCmdline(words: readonly string[], shares: VmBootShares): string {
  const params = [`vsb_root=${shares.rootTag}`, `vsb_config=${shares.configTag}`, `vsb_9p=${shares.transport}`];
  // One word each: the kernel splits its command line at blanks (and would take a quote for one).
  if (params.some((p) => /[\s"]/.test(p))) throw new SandboxError('VSB_INTERNAL', `9p share tags must be one word: ${params.join(' ')}`);
  return [...words, ...params, '--', '--stage1', GUEST_CONFIG_FILE].join(' ');
}
