import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** libvirt's own schema is the judge of what domain XML is allowed: throws with its message when invalid. */
export function validateDomainXml(xml: string): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-xml-'));
  try {
    fs.writeFileSync(path.join(dir, 'domain.xml'), xml);
    execFileSync('virt-xml-validate', [path.join(dir, 'domain.xml'), 'domain'], { stdio: 'pipe' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
