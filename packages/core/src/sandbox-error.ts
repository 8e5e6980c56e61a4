/** Stable error codes: scripts and tests match on these, never on message text. */
export type SandboxErrorCode =
  | 'VSB_USAGE'
  | 'VSB_BAD_MOUNT'
  | 'VSB_BAD_INCLUDE'
  | 'VSB_BAD_NETWORK'
  | 'VSB_BAD_SECURITY'
  | 'VSB_BAD_ENV'
  | 'VSB_BAD_DISK'
  | 'VSB_BAD_SIZE'
  | 'VSB_BAD_NAME'
  | 'VSB_BAD_USER'
  | 'VSB_NO_BACKEND'
  | 'VSB_NO_MAPPER'
  | 'VSB_NO_SECURITY_MODEL'
  | 'VSB_NO_TRANSPORT'
  | 'VSB_NO_KERNEL'
  | 'VSB_NO_NETWORK'
  | 'VSB_NAME_IN_USE'
  | 'VSB_NO_SANDBOX'
  | 'VSB_LIBVIRT'
  | 'VSB_NO_LIBVIRTD'
  | 'VSB_GUEST'
  | 'VSB_PROTOCOL'
  | 'VSB_NO_ID_RANGE'
  | 'VSB_STATE_ROOT_UNSAFE'
  | 'VSB_INTERNAL';

/** Codes that are the user's mistake on the command line: the CLI exits 2 for these, 1 otherwise. */
export const USAGE_CODES: ReadonlySet<SandboxErrorCode> = new Set<SandboxErrorCode>([
  'VSB_USAGE',
  'VSB_BAD_MOUNT',
  'VSB_BAD_INCLUDE',
  'VSB_BAD_NETWORK',
  'VSB_BAD_SECURITY',
  'VSB_BAD_ENV',
  'VSB_BAD_DISK',
  'VSB_BAD_SIZE',
  'VSB_BAD_NAME',
  'VSB_BAD_USER',
  'VSB_NO_BACKEND',
  'VSB_NO_SECURITY_MODEL',
]);

/**
 * The one error class of vsb. `message` is a single line meant for the user (the CLI prefixes
 * `vsb: `); `code` is stable; `suggestions` are extra lines of advice (e.g. how to start libvirtd).
 */
export class SandboxError extends Error {
  constructor(
    readonly code: SandboxErrorCode,
    message: string,
    readonly suggestions: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SandboxError';
  }

  /** True when the CLI should treat this as a usage error (exit 2). */
  get isUsage(): boolean {
    return USAGE_CODES.has(this.code);
  }
}
