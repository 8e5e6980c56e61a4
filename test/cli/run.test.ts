import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateDomainXml } from '@vsb/test-support';
import { assertNothingLeft, domains, started, startVsb, stateDirs, VSB, vsb, waitFor } from './vsb';

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

describe('vsb run on lxc:/// (real libvirtd)', () => {
  afterEach(assertNothingLeft);

  describe('exit status', () => {
    for (const [cmd, code] of [
      [['/bin/true'], 0],
      [['/bin/false'], 1],
      [['sh', '-c', 'exit 7'], 7],
      [['sh', '-c', 'kill -9 $$'], 137],
    ] as const) {
      it(`${cmd.join(' ')} -> ${code}`, async () => {
        const r = await vsb(['run', '--', ...cmd]);
        assert.equal(r.code, code, r.stderr);
      });
    }

    it('a missing command exits 127 with a message on stderr', async () => {
      const r = await vsb(['run', '--', '/nonexistent/cmd']);
      assert.equal(r.code, 127);
      assert.match(r.stderr, /\/nonexistent\/cmd: No such file or directory/);
    });
  });

  describe('stdio', () => {
    it('keeps stdout and stderr apart', async () => {
      const r = await vsb(['run', '--', 'sh', '-c', 'echo out; echo err >&2']);
      assert.equal(r.code, 0);
      assert.equal(r.stdout.toString(), 'out\n');
      assert.equal(r.stderr, 'err\n');
    });

    it('passes stdin through: echo hi | vsb run -- cat', async () => {
      const r = await vsb(['run', '--', '/bin/cat'], { input: 'hi\n' });
      assert.equal(r.stdout.toString(), 'hi\n');
      assert.equal(r.code, 0);
    });

    it('moves 10 MB of random bytes through cat both ways, byte-exact', async () => {
      const data = crypto.randomBytes(10 * 1024 * 1024);
      const r = await vsb(['run', '--', '/bin/cat'], { input: data });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.length, data.length);
      assert.equal(sha(r.stdout), sha(data));
    });

    it('delivers 100 MB of /dev/urandom to stdout intact (sha256 computed inside)', async () => {
      const started = Date.now();
      const r = await vsb(['run', '--', 'sh', '-c', 'mkfifo /tmp/sum; sha256sum < /tmp/sum >&2 & head -c 100000000 /dev/urandom | tee /tmp/sum; wait']);
      const seconds = (Date.now() - started) / 1000;
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.length, 100_000_000);
      assert.equal(r.stderr.split(' ')[0], sha(r.stdout));
      console.log(`      100 MB in ${seconds.toFixed(2)} s: ${(100 / seconds).toFixed(1)} MB/s end to end`);
    });

    it('loses no tail: 50 consecutive runs all print their last line', async () => {
      let ok = 0;
      for (let i = 0; i < 50; i++) {
        const r = await vsb(['run', '--', 'sh', '-c', 'echo last']);
        if (r.code === 0 && r.stdout.toString() === 'last\n') ok++;
      }
      assert.equal(ok, 50);
    });
  });

  describe('control bytes and bytes that are not UTF-8', () => {
    /** `vsb ARGS` through bash, whose $'...' can pass bytes Node's own argv cannot carry. */
    const viaBash = (args: string) => {
      const name = `vsb-t${crypto.randomBytes(4).toString('hex')}`;
      started.add(name);
      return spawnSync('bash', ['-c', `exec node ${VSB} run -n ${name} ${args}`], { input: '' });
    };

    it('an escape sequence in the command runs and arrives exact', async () => {
      const r = await vsb(['run', '--', 'printf', '\x1b[1m']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.toString('hex'), '1b5b316d');
    });

    it('argv and -e values that are not UTF-8 reach the app byte for byte', () => {
      const r = viaBash(`-e $'A=\\xff\\x01' -- sh -c 'printf %s "$A"; printf "$1"' sh $'\\xfe\\xc0\\xaf'`);
      assert.equal(r.status, 0, r.stderr.toString());
      assert.equal(r.stdout.toString('hex'), 'ff01fec0af');
    });

    it('--dry-run: the XML parses and the description shows them escaped', () => {
      const r = spawnSync('bash', ['-c', `exec node ${VSB} run --dry-run -e $'A=\\x01\\xff' -- printf $'\\e[1m'`]);
      assert.equal(r.status, 0, r.stderr.toString());
      const xml = r.stdout.toString();
      validateDomainXml(xml);
      assert.match(xml, /<description>vsb run (-e \S+ )*-e \$&apos;A=\\x01\\xff&apos; -- printf \$&apos;\\e\[1m&apos;<\/description>/);
    });
  });

  describe('environment', () => {
    it("passes the caller's locale and TZ: wc -m counts characters as on the host", async () => {
      const r = await vsb(['run', '--', 'sh', '-c', 'wc -m; echo "$TZ|$LC_TIME"'], {
        input: 'é\n',
        env: { LANG: 'C.UTF-8', TZ: 'Europe/Paris', LC_TIME: 'C.UTF-8' },
      });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.toString(), '2\nEurope/Paris|C.UTF-8\n');
    });

    it("-e KEY passes the caller's value, and leaves one the caller lacks unset", async () => {
      const r = await vsb(['run', '-e', 'VSB_T_A', '-e', 'VSB_T_NONE', '--', 'sh', '-c', 'echo "$VSB_T_A|${VSB_T_NONE-unset}"'], {
        env: { VSB_T_A: 'from caller' },
      });
      assert.equal(r.stdout.toString(), 'from caller|unset\n');
    });

    it('--env-file FILE: KEY=VALUE and KEY lines, -e wins over it; a missing file is one line, exit 2', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-env-'));
      try {
        fs.writeFileSync(path.join(dir, 'env'), '# settings\nA=1\nB=two words\nVSB_T_A\n');
        const r = await vsb(['run', '--env-file', path.join(dir, 'env'), '-e', 'A=2', '--', 'sh', '-c', 'echo "$A|$B|$VSB_T_A"'], { env: { VSB_T_A: 'c' } });
        assert.equal(r.stdout.toString(), '2|two words|c\n');
        const missing = await vsb(['run', '--env-file', path.join(dir, 'none'), '--', 'true']);
        assert.equal(missing.code, 2);
        assert.equal(missing.stderr, `vsb: --env-file '${dir}/none': no such file\n`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe("memory tools (libvirt's /proc/meminfo cannot seek)", () => {
    it("free, ps aux and top work and show the sandbox's own memory limit", async () => {
      const script = [
        `free -k | awk '/^Mem:/ { print "free:" $2 }'`,
        'ps aux >/dev/null && echo ps:ok',
        `top -bn1 | awk '/MiB Mem/ { print "top:" $4 }'`,
        // Refreshed from the sandbox's own use: 64 MiB more in /dev/shm show as less free memory.
        `a=$(awk '/^MemFree:/ { print $2 }' /proc/meminfo); head -c 64M /dev/zero > /dev/shm/x; sleep 2.5`,
        `b=$(awk '/^MemFree:/ { print $2 }' /proc/meminfo); [ $((a - b)) -gt 50000 ] && echo refreshed || echo "not refreshed: $a $b"`,
      ].join('\n');
      const r = await vsb(['run', '--memory', '256M', '--', 'sh', '-c', script]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      assert.equal(r.stdout.toString(), 'free:262144\nps:ok\ntop:256.0\nrefreshed\n');
    });
  });

  describe('working directory', () => {
    it("starts in the caller's working directory when the sandbox sees it", async () => {
      // Not the checkout: CI may clone it under /tmp, which the sandbox's private /tmp covers.
      const r = await vsb(['run', '--', 'pwd'], { cwd: '/usr/share' });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.toString(), '/usr/share\n');
    });

    it("starts in $HOME when the caller's directory is not the same inside (under the private /tmp)", async () => {
      // -M: a $HOME the app can enter (a root caller's /root is root's alone, which the app is not on the host).
      const r = await vsb(['run', '-M', '--', 'sh', '-c', 'pwd; echo "$HOME"'], { cwd: os.tmpdir() });
      assert.equal(r.code, 0, r.stderr);
      const [pwd, home] = r.stdout.toString().trimEnd().split('\n');
      assert.equal(pwd, home);
    });

    it("starts in / when $HOME cannot be entered either (a root caller's /root, 0700: the app is not host root)", async () => {
      assert.equal(fs.statSync('/root').mode & 0o007, 0, "this host's /root is private");
      const r = await vsb(['run', '--', 'pwd'], { cwd: os.tmpdir() });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.toString(), '/\n');
    });

    it('-w DIR / --workdir DIR: there, or a one-line error', async () => {
      assert.equal((await vsb(['run', '-w', '/usr/share', '--', 'pwd'])).stdout.toString(), '/usr/share\n');
      assert.equal((await vsb(['run', '--workdir', '/etc', '--', 'pwd'])).stdout.toString(), '/etc\n');
      const missing = await vsb(['run', '-w', '/nonexistent', '--', 'pwd']);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /^vsb: guest: cannot change to directory \/nonexistent: No such file or directory$/m);
      const relative = await vsb(['run', '-w', 'rel', '--', 'pwd']);
      assert.equal(relative.code, 2);
      assert.equal(relative.stderr, `vsb: --workdir 'rel': directory 'rel' must be an absolute path (start it with '/')\n`);
    });
  });

  describe('identity', () => {
    it('runs as the caller by default, with no capabilities', async () => {
      const r = await vsb(['run', '--', 'sh', '-c', 'echo "$(id -u) $(id -g) $HOME $USER"; grep CapEff /proc/self/status']);
      const me = os.userInfo();
      assert.equal(r.code, 0, r.stderr);
      const [line, cap] = r.stdout.toString().trimEnd().split('\n');
      assert.equal(line, `${me.uid} ${me.gid} ${process.env.HOME || me.homedir} ${me.username}`);
      assert.match(cap!, /^CapEff:\s+0+$/);
    });

    it('--switchto nobody', async () => {
      const r = await vsb(['run', '-S', 'nobody', '--', 'sh', '-c', 'id -un; id -u']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.toString(), `nobody\n${execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' })}`);
    });

    it("--privileged keeps root's capabilities", async () => {
      const r = await vsb(['run', '--privileged', '--', 'grep', 'CapEff', '/proc/self/status']);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout.toString(), /^CapEff:\s+0+$/m);
    });
  });

  describe('confinement', () => {
    it("cannot write to /etc, sees none of the host's processes and only lo", async () => {
      const r = await vsb([
        'run',
        '--privileged',
        '--',
        'sh',
        '-c',
        'touch /etc/vsb-x 2>/dev/null && echo wrote || echo refused; ls -d /proc/[0-9]* | wc -l; ls /sys/class/net',
      ]);
      assert.equal(r.code, 0, r.stderr);
      const [write, procs, ...nets] = r.stdout.toString().trimEnd().split('\n');
      assert.equal(write, 'refused');
      assert.ok(Number(procs) < 10, `${procs} processes visible`);
      assert.deepEqual(nets, ['lo']);
    });
  });

  describe('names and signals', () => {
    it('refuses a name already in use, with one line, and leaves the other run alone', async () => {
      const first = startVsb(['run', '-n', 'vsb-taken', '--', 'sleep', '30'], { keepStdin: true });
      try {
        assert.ok(await waitFor(() => domains().includes('vsb-taken'), 10_000));
        const second = await vsb(['run', '-n', 'vsb-taken', '--', '/bin/true']);
        assert.equal(second.code, 1);
        assert.match(second.stderr, /^vsb: --name: .*'vsb-taken'.*\n$/);
        assert.ok(domains().includes('vsb-taken'));
      } finally {
        first.child.kill('SIGTERM');
        await first.result;
      }
    });

    it('SIGINT while sleep runs: exit 130, nothing left within 3 s', async () => {
      const run = startVsb(['run', '-n', 'vsb-sigint', '--', 'sleep', '100'], { keepStdin: true });
      assert.ok(await waitFor(() => domains().includes('vsb-sigint'), 10_000));
      await new Promise((r) => setTimeout(r, 300));
      const sent = Date.now();
      run.child.kill('SIGINT');
      const r = await run.result;
      assert.equal(r.code, 130, r.stderr);
      assert.ok(await waitFor(() => !domains().includes('vsb-sigint') && !stateDirs().includes('vsb-sigint'), 3000));
      console.log(`      SIGINT to exit: ${Date.now() - sent} ms`);
    });

    it('SIGKILL of vsb: the domain (AUTODESTROY) and the state dir are gone within 3 s', async () => {
      const run = startVsb(['run', '-n', 'vsb-sigkill', '--', 'sleep', '100'], { keepStdin: true });
      assert.ok(await waitFor(() => domains().includes('vsb-sigkill'), 10_000));
      run.child.kill('SIGKILL');
      await run.result;
      assert.ok(await waitFor(() => !domains().includes('vsb-sigkill') && !stateDirs().includes('vsb-sigkill'), 3000));
    });

    it('8 runs in parallel: all correct, distinct names', async () => {
      const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => vsb(['run', '--', 'sh', '-c', `echo ${i}:$(hostname)`], { defaultName: true })));
      const names = new Set<string>();
      runs.forEach((r, i) => {
        assert.equal(r.code, 0, r.stderr);
        const [idx, host] = r.stdout.toString().trim().split(':');
        assert.equal(idx, String(i));
        assert.match(host!, /^vsb-[0-9a-f]{10}$/);
        names.add(host!);
        started.add(host!);
      });
      assert.equal(names.size, 8);
    });
  });
});
