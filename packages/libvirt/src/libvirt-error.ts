/**
 * A failed libvirt call. Carries libvirt's own `code` (virErrorNumber) and `domain`
 * (virErrorDomain) so callers can react to a precise cause (e.g. {@link LibvirtErrorCode.NO_DOMAIN})
 * instead of parsing messages; the message is libvirt's, unchanged.
 */
export class LibvirtError extends Error {
  constructor(
    message: string,
    /** libvirt's virErrorNumber, e.g. {@link LibvirtErrorCode.XML_ERROR}. */
    readonly code: number,
    /** libvirt's virErrorDomain: which part of libvirt raised it (e.g. 13 = remote, 17 = LXC). */
    readonly domain: number,
  ) {
    super(message);
    this.name = 'LibvirtError';
  }
}

/** The libvirt error numbers vsb reacts to, named, so code never compares magic numbers. */
export const LibvirtErrorCode = {
  INTERNAL_ERROR: 1,
  NO_CONNECT: 5,
  INVALID_CONN: 6,
  INVALID_DOMAIN: 7,
  INVALID_ARG: 8,
  OPERATION_FAILED: 9,
  XML_ERROR: 27,
  XML_DETAIL: 35,
  SYSTEM_ERROR: 38,
  RPC: 39,
  NO_DOMAIN: 42,
  OPERATION_INVALID: 55,
  INVALID_STREAM: 73,
} as const;
