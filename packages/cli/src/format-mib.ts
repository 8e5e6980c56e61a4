/** `268435456` as `256 MiB`, `1610612736` as `1.5 GiB`: memory as vsb shows it (the OOM report, `vsb ps`). */
export function formatMiB(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return mib >= 1024 ? `${+(mib / 1024).toFixed(2)} GiB` : `${+mib.toFixed(2)} MiB`;
}
