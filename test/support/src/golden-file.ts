import fs from 'node:fs';

/**
 * The expected content of a golden file; with `VSB_UPDATE_GOLDEN=1` the file is rewritten from
 * `actual` first, so an intended change is one command and a reviewed diff.
 */
export function goldenFile(file: string, actual: string): string {
  if (process.env.VSB_UPDATE_GOLDEN === '1') fs.writeFileSync(file, actual);
  return fs.readFileSync(file, 'utf8');
}
