import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { Identity } from '../sandbox-config';
import { SandboxError } from '../sandbox-error';

/** The invoking user: the original's default identity (same uid, gid, groups, name and $HOME). */
export function invokingIdentity(): Identity {
  const info = os.userInfo();
  const gid = info.gid;
  const groups = (process.getgroups?.() ?? []).filter((g) => g !== gid);
  return { uid: info.uid, gid, groups, user: info.username, home: process.env.HOME || info.homedir, privileged: false };
}

/** `--privileged`: root with the container's full capabilities. */
export function privilegedIdentity(): Identity {
  return { uid: 0, gid: 0, groups: [], user: 'root', home: '/root', privileged: true };
}

/** `--switchto USER`: looked up on the host (name or numeric uid), with the user's groups. */
export function lookupIdentity(user: string): Identity {
  const entry = getent('passwd', user);
  if (!entry) throw new SandboxError('VSB_BAD_USER', `--switchto '${user}': no such user on this host`);
  const [name, , uid, gid, , home] = entry.split(':');
  const groups = new Set<number>();
  for (const line of (getentAll('group') ?? '').split('\n')) {
    const f = line.split(':');
    if (f.length >= 4 && f[3]!.split(',').includes(name!)) groups.add(Number(f[2]));
  }
  groups.delete(Number(gid));
  return { uid: Number(uid), gid: Number(gid), groups: [...groups].sort((a, b) => a - b), user: name!, home: home || '/', privileged: false };
}

function getent(db: string, key: string): string | undefined {
  try {
    return execFileSync('getent', [db, key], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0];
  } catch {
    return undefined;
  }
}

function getentAll(db: string): string | undefined {
  try {
    return execFileSync('getent', [db], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}
