import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** An sshd of the test's own on 127.0.0.1, standing in for a remote libvirt host (this one). */
export interface LoopbackSshd {
  readonly port: number;
  /** `DRIVER+ssh://root@127.0.0.1:PORT/PATH?...`: libvirt's ssh transport with the test's key, no host key prompt, no known_hosts of root's touched. */
  uri(driver: 'qemu' | 'lxc'): string;
  stop(): Promise<void>;
}

/** sshd's privilege separation dir, which a host without a running sshd may not have. */
const PRIVSEP_DIR = '/run/sshd';

/** A free port on loopback, as the kernel hands one out. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net
      .createServer()
      .listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      })
      .on('error', reject);
  });
}

/** Resolves once something accepts connections on the port (sshd is up), rejects when `child` ended first. */
async function listening(port: number, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = net
        .connect(port, '127.0.0.1', () => {
          s.destroy();
          resolve(true);
        })
        .on('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not listen on 127.0.0.1:${port}`);
}

/**
 * Starts `/usr/sbin/sshd` on a loopback port with a host key and a client key it makes in a temp
 * dir, root allowed by that key only. libvirt's ssh transport runs `ssh` through a wrapper
 * (`command=`) that keeps the host key in the temp dir: root's own ~/.ssh is never written.
 */
export async function startLoopbackSshd(): Promise<LoopbackSshd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-sshd-'));
  const madePrivsep = !fs.existsSync(PRIVSEP_DIR);
  if (madePrivsep) fs.mkdirSync(PRIVSEP_DIR, { mode: 0o755 });
  for (const key of ['host', 'client']) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, key)]);
  fs.copyFileSync(path.join(dir, 'client.pub'), path.join(dir, 'authorized_keys'));
  const port = await freePort();
  fs.writeFileSync(
    path.join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${dir}/host`,
      `AuthorizedKeysFile ${dir}/authorized_keys`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      `PidFile ${dir}/sshd.pid`,
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(dir, 'ssh'),
    `#!/bin/sh\nexec ssh -o UserKnownHostsFile=${dir}/known_hosts -o GlobalKnownHostsFile=/dev/null -o LogLevel=ERROR "$@"\n`,
    { mode: 0o755 },
  );
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', path.join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (b: Buffer) => {
    log += b.toString();
  });
  await listening(port, child).catch((err: Error) => {
    child.kill();
    throw new Error(`${err.message}: ${log}`);
  });
  const query = `keyfile=${dir}/client&no_verify=1&no_tty=1&command=${dir}/ssh`;
  return {
    port,
    uri: (driver) => `${driver}+ssh://root@127.0.0.1:${port}/${driver === 'qemu' ? 'system' : ''}?${query}`,
    stop: async () => {
      const ended = new Promise((r) => child.once('close', r));
      child.kill();
      await ended;
      fs.rmSync(dir, { recursive: true, force: true });
      if (madePrivsep) fs.rmSync(PRIVSEP_DIR, { recursive: true, force: true });
    },
  };
}
