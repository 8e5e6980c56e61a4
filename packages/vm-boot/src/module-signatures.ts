import fs from 'node:fs/promises';
import path from 'node:path';

/** This module's file, for the initrd's cache name (see cacheFile's producers). */
export const MODULE_SIGNATURES_SOURCE = __filename;

/** The marker `scripts/sign-file` appends after a module's signature. */
const MAGIC = Buffer.from('~Module signature appended~\n');
/** struct module_signature: algo, hash, id_type, signer_len, key_id_len, 3 pad bytes, __be32 sig_len. */
const SIG_INFO = 12;

/**
 * `data` (an uncompressed .ko) without its appended signature, or `data` itself when it has none.
 * A kernel that does not enforce signatures still checks every signed module it loads (SHA-256 and
 * RSA under TCG: about a quarter of a VM sandbox's guest instructions up to its init's channel, 12
 * modules here); an unsigned one it loads at once and only marks itself tainted.
 */
export function stripModuleSignature(data: Buffer): Buffer {
  if (data.length < MAGIC.length + SIG_INFO || !data.subarray(data.length - MAGIC.length).equals(MAGIC)) return data;
  const info = data.length - MAGIC.length - SIG_INFO;
  const end = info - data.readUInt32BE(info + 8);
  return end > 0 ? data.subarray(0, end) : data;
}

/**
 * False only when the kernel's build config (`config-VERSION` beside its image, as Debian installs
 * it) says it loads unsigned modules (`CONFIG_MODULE_SIG_FORCE` unset): with no config to read,
 * signatures are kept, since a kernel that enforces them would refuse the modules.
 */
export async function modulesNeedSignatures(image: string, version: string): Promise<boolean> {
  const config = await fs.readFile(path.join(path.dirname(image), `config-${version}`), 'utf8').catch(() => undefined);
  if (config === undefined) return true;
  return /^CONFIG_MODULE_SIG_FORCE=y$/m.test(config);
}
