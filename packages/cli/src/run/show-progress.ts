/** A status line on a terminal while the sandbox starts, erased (not scrolled) when it is up. */
export function showProgress(line: string | undefined): void {
  process.stderr.write(line === undefined ? '\r\x1b[K' : `\r\x1b[K${line}...`);
}
