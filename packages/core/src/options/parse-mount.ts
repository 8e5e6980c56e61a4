import type { MountSpec, MountType } from '../sandbox-config';
import { optionError, quoteValue } from './option-error';
import { checkHostPath } from './check-host-path';
import { parseGuestPath } from './parse-guest-path';
import { parseSize } from './parse-size';
import { parseSourceOptions } from './parse-source-options';

const TYPES: readonly MountType[] = ['host-bind', 'host-image', 'guest-bind', 'ram'];
const TYPE_LIST = 'host-bind, host-image, guest-bind or ram';

/**
 * Parses one `--mount TYPE:DST=SRC[,OPTIONS]`:
 * - `host-bind:DST=SRC[,ro][,relabel=yes|no]`: host directory SRC (absolute) at DST; an empty SRC
 *   asks for a temporary directory removed after the run (documented by the original, never implemented).
 * - `host-image:DST=SRC[,format=raw|qcow2][,relabel=yes|no]`: image file SRC (absolute) holding a
 *   filesystem; raw by default.
 * `relabel=no` keeps the security model from relabelling a shared source (the security plugin maps
 * it to what libvirt's schema allows for the device the mount becomes).
 * - `guest-bind:DST=SRC`: guest path SRC bound at DST inside the sandbox.
 * - `ram:DST=SIZE`: a tmpfs of SIZE bytes ({@link parseSize}, more than 0; `VSB_BAD_SIZE` errors).
 *
 * Splitting rule: TYPE ends at the first `:` and must be spelt out in full (the original took any
 * prefix, so `h:` silently meant host-bind); DST ends at the first `=` (so it cannot hold `=`);
 * SRC is the rest, up to the first comma starting a known option of that type (see
 * {@link parseSourceOptions}), so host paths may hold `=` and commas. DST must be absolute, holds no
 * `..`, is returned normalised and is not `/` (that is `--root`). Guest-bind and ram take no
 * options: their SRC is everything after `=`.
 */
export function parseMount(text: string): MountSpec {
  const bad = optionError('VSB_BAD_MOUNT', '--mount', text);
  const colon = text.indexOf(':');
  if (colon < 0) throw bad(`expected TYPE:TARGET=SOURCE with TYPE ${TYPE_LIST}`);
  const type = text.slice(0, colon) as MountType;
  if (type === ('' as MountType)) throw bad(`missing mount type before ':' (use ${TYPE_LIST})`);
  if (!TYPES.includes(type)) throw bad(`unknown mount type ${quoteValue(type)} (use ${TYPE_LIST})`);
  const rest = text.slice(colon + 1);
  const eq = rest.indexOf('=');
  const target = parseGuestPath(eq < 0 ? rest : rest.slice(0, eq), 'target', bad);
  if (target === '/') throw bad(`target '/' is the root filesystem (use --root to choose it)`);
  const kernelDir = KERNEL_DIRS.find((d) => target === d || target.startsWith(`${d}/`));
  if (kernelDir && !(target === '/dev/shm' || target.startsWith('/dev/shm/'))) {
    throw bad(
      `target ${quoteValue(target)} is in ${kernelDir}, which the sandbox's kernel and init provide (a mount there breaks the sandbox); mount elsewhere`,
    );
  }
  if (eq < 0) throw bad(missingSource(type, target));
  const source = rest.slice(eq + 1);
  switch (type) {
    case 'host-bind': {
      const parsed = parseSourceOptions(source, ['ro', 'relabel'], 'host-bind', bad);
      const host = parsed.source === '' ? '' : checkHostPath(parsed.source, 'source', bad);
      return { type, target, source: host, readonly: parsed.readonly, ...(parsed.relabel !== undefined && { relabel: parsed.relabel }) };
    }
    case 'host-image': {
      const parsed = parseSourceOptions(source, ['format', 'relabel'], 'host-image', bad);
      if (parsed.source === '') throw bad(`missing image file after '=' (e.g. host-image:${target}=/var/lib/vsb/data.img)`);
      return {
        type,
        target,
        source: checkHostPath(parsed.source, 'image file', bad),
        format: parsed.format,
        ...(parsed.relabel !== undefined && { relabel: parsed.relabel }),
      };
    }
    case 'guest-bind':
      return { type, target, source: parseGuestPath(source, 'source', bad) };
    case 'ram': {
      const comma = source.indexOf(',');
      if (comma >= 0) throw bad(`ram mounts take no options (found ${quoteValue(source.slice(comma + 1))})`);
      const sizeBytes = parseSize(source, '--mount', text);
      if (sizeBytes === 0) throw optionError('VSB_BAD_SIZE', '--mount', text)('a ram mount needs a size above 0 (e.g. 64M)');
      return { type, target, sizeBytes };
    }
  }
}

/** Filesystems the sandbox is built on; only `/dev/shm` (a private tmpfs, see private-dirs) may be mounted over. */
const KERNEL_DIRS = ['/proc', '/dev', '/sys'];

function missingSource(type: MountType, target: string): string {
  switch (type) {
    case 'host-bind':
      return `missing '=SOURCE' after the target ('host-bind:${target}=' gives a temporary directory)`;
    case 'host-image':
      return `missing '=IMAGE' after the target (e.g. host-image:${target}=/var/lib/vsb/data.img)`;
    case 'guest-bind':
      return `missing '=SOURCE' after the target (e.g. guest-bind:${target}=/var/tmp)`;
    case 'ram':
      return `missing '=SIZE' after the target (e.g. ram:${target}=64M)`;
  }
}
