import type { ManBlock } from '../man/man-sections';

/** The ENVIRONMENT entry of the pages of commands that look for detached sandboxes (vsb ps, logs, stop). */
export const STATE_ROOT_ENVIRONMENT: ManBlock = { term: 'VSB_STATE_ROOT', text: 'The state root searched instead of /run/vsb (root) or $XDG_RUNTIME_DIR/vsb.' };
