import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { assertNothingLeft, startVsb, vsb, waitFor } from './vsb';

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

describe('console transports through the CLI (real libvirtd)', () => {
  afterEach(assertNothingLeft);

  describe('choice', () => {
    it('local lxc:/// gets socket-rpc: no console besides the log console', async () => {
      const r = await vsb(['run', '--dry-run', '--', '/bin/true']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.toString().match(/<console /g)?.length, 1);
    });

    it('a remote URI, or --transport console-rpc, gets a second console', async () => {
      for (const args of [
        ['-c', 'lxc+ssh://host/'],
        ['--transport', 'console-rpc'],
      ]) {
        const r = await vsb(['run', '--dry-run', ...args, '--', '/bin/true']);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout.toString().match(/<console /g)?.length, 2, args.join(' '));
      }
    });

    it('--transport with an id that does not serve the URI is one line naming those that do', async () => {
      const r = await vsb(['run', '--dry-run', '-c', 'lxc+ssh://host/', '--transport', 'socket-rpc', '--', '/bin/true']);
      assert.equal(r.code, 2, 'a usage error');
      assert.equal(r.stderr, "vsb: --transport: 'socket-rpc' does not serve URI 'lxc+ssh://host/' with the lxc backend (available: console-rpc)\n");
    });
  });

  for (const transport of ['socket-rpc', 'console-rpc']) {
    describe(transport, () => {
      const run = (args: string[], input?: Buffer | string) => vsb(['run', '--transport', transport, '--', ...args], { input });

      it('keeps stdout and stderr apart and passes the exit status', async () => {
        const r = await run(['sh', '-c', 'echo out; echo err >&2; exit 9']);
        assert.equal(r.code, 9);
        assert.equal(r.stdout.toString(), 'out\n');
        assert.equal(r.stderr, 'err\n');
      });

      it('moves 10 MB of random bytes through cat both ways, byte-exact', async () => {
        const data = crypto.randomBytes(10 * 1024 * 1024);
        const r = await run(['/bin/cat'], data);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(sha(r.stdout), sha(data));
      });

      it('delivers 50 MB of stdout intact (sha256 computed inside)', async () => {
        const r = await run(['sh', '-c', 'mkfifo /tmp/sum; sha256sum < /tmp/sum >&2 & head -c 50000000 /dev/urandom | tee /tmp/sum; wait']);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout.length, 50_000_000);
        assert.equal(r.stderr.split(' ')[0], sha(r.stdout));
      });

      it('holds the app back while nobody reads its output (backpressure), then delivers it all', async () => {
        const { child, result } = startVsb(['run', '--transport', transport, '--', 'sh', '-c', 'echo start >&2; head -c 30000000 /dev/zero; echo done >&2']);
        child.stdout!.pause();
        let err = '';
        child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
        // Once the app runs, 30 MB take well under a second unblocked: a second later it must still be held.
        assert.ok(await waitFor(() => err.includes('start'), 60_000), 'the app started');
        await new Promise((r) => setTimeout(r, 1000));
        assert.equal(err.includes('done'), false, 'the app finished writing although nobody read: no backpressure');
        assert.equal(child.exitCode, null);
        child.stdout!.resume();
        const r = await result;
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout.length, 30_000_000);
        assert.equal(r.stderr, 'start\ndone\n');
      });

      it('forwards SIGTERM to the app: exit 143', async () => {
        const { child, result } = startVsb(['run', '--transport', transport, '--', 'sh', '-c', 'echo ready; exec sleep 30']);
        let out = '';
        child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
        assert.ok(await waitFor(() => out.includes('ready'), 10_000));
        child.kill('SIGTERM');
        const r = await result;
        assert.equal(r.code, 143, r.stderr);
      });
    });
  }
});
