export { assemble, BUILTIN_PLUGINS, pluginsFromEnv } from './assemble';
export { configFromFlags, randomName } from './config-from-flags';
export type { RunFlags } from './run-flags';
export { commandAfterDashes } from './commands/run';
export { exitCodeOf } from './exit-code';
export { guestInitPath } from './guest-init-path';
