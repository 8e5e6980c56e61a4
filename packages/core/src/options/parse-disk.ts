import type { DiskSpec } from '../sandbox-config';
import { checkHostPath } from './check-host-path';
import { optionError, quoteValue } from './option-error';
import { parseSourceOptions } from './parse-source-options';

/**
 * Parses `--disk TYPE:TAG=SRC[,format=raw|qcow2]`: TYPE is `file` (spelt out), TAG
 * (`[A-Za-z0-9_-]+`) names the disk in the guest as `/dev/disk/by-tag/TAG`, SRC is an absolute
 * image path that may hold `=` and commas (it ends at the first `,format`, see
 * {@link parseSourceOptions}); the format defaults to raw and is never probed.
 */
export function parseDisk(text: string): DiskSpec {
  const bad = optionError('VSB_BAD_DISK', '--disk', text);
  const colon = text.indexOf(':');
  if (colon < 0) throw bad('expected TYPE:TAG=SOURCE (e.g. file:data=/var/lib/vsb/data.img)');
  const type = text.slice(0, colon);
  if (type !== 'file') throw bad(`unknown disk type ${quoteValue(type)} (use file)`);
  const rest = text.slice(colon + 1);
  const eq = rest.indexOf('=');
  const tag = eq < 0 ? rest : rest.slice(0, eq);
  if (tag === '') throw bad(`missing tag after 'file:' (e.g. file:data=/var/lib/vsb/data.img)`);
  if (!/^[A-Za-z0-9_-]+$/.test(tag)) {
    throw bad(`tag ${quoteValue(tag)} may hold only letters, digits, '_' and '-' (the guest sees /dev/disk/by-tag/TAG)`);
  }
  if (eq < 0) throw bad(`missing '=SOURCE' after the tag (e.g. file:${tag}=/var/lib/vsb/${tag}.img)`);
  const parsed = parseSourceOptions(rest.slice(eq + 1), ['format'], 'disks', bad);
  if (parsed.source === '') throw bad(`missing image file after '=' (e.g. file:${tag}=/var/lib/vsb/${tag}.img)`);
  return { type, tag, source: checkHostPath(parsed.source, 'image file', bad), format: parsed.format };
}
