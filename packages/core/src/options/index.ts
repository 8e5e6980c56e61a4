/** Pure parsers and checks of vsb's command-line option grammars (no I/O). */
export { optionError, quoteValue, type OptionError } from './option-error';
export { parseSize } from './parse-size';
export { parseMemory, MIN_MEMORY_BYTES } from './parse-memory';
export { parseMount } from './parse-mount';
export { checkMounts } from './check-mounts';
export { parseInclude } from './parse-include';
export { parseIncludeFile } from './parse-include-file';
export { checkIncludes, mountHolding } from './check-includes';
export { parseNetwork } from './parse-network';
export { parseSecurity } from './parse-security';
export { parseEnv, parseEnvFile } from './parse-env';
export { parseDisk } from './parse-disk';
export { checkDisks } from './check-disks';
export { parseVcpus, MAX_VCPUS } from './parse-vcpus';
export { parseName } from './parse-name';
export { homeAndTmpMounts, type HomeAndTmpFlags } from './home-and-tmp-mounts';
export { checkHostPath } from './check-host-path';
export { parseGuestPath } from './parse-guest-path';
