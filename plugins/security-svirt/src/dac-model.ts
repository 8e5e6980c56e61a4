import crypto from 'node:crypto';
import type { BuildContext, DomainDraft, SecurityModel } from '@vsb/core';
import { SandboxError } from '@vsb/core';
import { keepSourceLabels } from './keep-source-labels';

/**
 * First uid of `--security dac`'s per-sandbox ids: above the ranges systemd hands out to containers
 * (0x00080000-0x6FFEFFFF) and below its "foreign" range, so no account or subuid range owns them.
 */
export const DYNAMIC_DAC_BASE = 0x70000000;
const DYNAMIC_DAC_SPAN = 1 << 24;
/** `USER:GROUP` or `+UID:+GID`, as libvirt's DAC driver reads them. */
const DAC_LABEL = /^(\+\d+|[A-Za-z_][A-Za-z0-9_.-]*):(\+\d+|[A-Za-z_][A-Za-z0-9_.-]*)$/;

/**
 * The uid (and gid) QEMU runs as under `--security dac`: derived from the sandbox name, which libvirt
 * keeps unique among running domains, so two sandboxes get two users and the result is reproducible
 * in golden files. 2^24 ids make a clash between two live sandboxes about a one-in-16-million event.
 */
export function dynamicDacId(name: string): number {
  return DYNAMIC_DAC_BASE + (crypto.createHash('sha256').update(name).digest().readUIntBE(0, 3) % DYNAMIC_DAC_SPAN);
}

/**
 * The group of the host's default QEMU label (`<baselabel type='qemu'>+64055:+64055`): libvirt makes
 * a domain's private files (its master key, monitor socket) in a directory only that group may
 * enter, so a per-sandbox uid with its own group cannot start QEMU. Absent in dry runs.
 */
function dynamicDacGroup(ctx: BuildContext, domainType: string): string | undefined {
  return ctx.hostSecurityBaseLabels?.dac?.[domainType]?.split(':')[1];
}

/**
 * libvirt's DAC model (`<seclabel model='dac'>`): which host uid:gid the QEMU process runs as.
 * `dac,label=+N:+N` is that user (`relabel=no` unless asked, as libvirt's static default);
 * `dac` alone is a fresh unprivileged uid per sandbox (in the group of libvirt's own QEMU user, which
 * its per-domain files need), so host files readable only by their owners
 * stay out of QEMU's reach even through the 9p root. It is never relabelled: libvirt's DAC relabel
 * chowns the kernel it boots, and vsb boots the host's own, which that uid could then rewrite. What
 * QEMU opens (kernel, initrd, images) must be readable by that uid as it is. libvirt itself has no
 * dynamic DAC label (it falls back to qemu.conf's one user for every VM).
 */
export class DacModel implements SecurityModel {
  readonly id = 'dac';

  apply(ctx: BuildContext, draft: DomainDraft): void {
    const spec = ctx.config.security;
    if (!spec || spec.mode === 'none') return;
    switch (spec.mode) {
      case 'dynamic': {
        const id = dynamicDacId(ctx.config.name);
        draft.seclabels.push({ '@_type': 'static', '@_model': 'dac', '@_relabel': 'no', label: `+${id}:${dynamicDacGroup(ctx, draft.type) ?? `+${id}`}` });
        break;
      }
      case 'static':
        if (!DAC_LABEL.test(spec.label)) {
          throw new SandboxError('VSB_BAD_SECURITY', `--security: a DAC label is +UID:+GID or USER:GROUP, not '${spec.label}'`);
        }
        draft.seclabels.push({ '@_type': 'static', '@_model': 'dac', '@_relabel': spec.relabel ? 'yes' : 'no', label: spec.label });
        break;
      case 'inherit':
        throw new SandboxError('VSB_BAD_SECURITY', '--security inherit: the DAC model has nothing to inherit (use dac,label=+UID:+GID)');
    }
    keepSourceLabels(ctx, draft, this.id);
  }
}
