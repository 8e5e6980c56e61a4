/** Grace of `vsb stop` without `-t`, and of a SIGTERM or SIGINT to the keeper itself: podman's default. */
export const DEFAULT_STOP_GRACE_SECONDS = 10;
