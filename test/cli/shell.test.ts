import assert from 'node:assert/strict';
import { LibvirtNativeConnector } from '@vsb/libvirt';
import { domains, startVsb, stateDirs, waitFor } from './vsb';

describe('vsb run --shell (real libvirtd)', () => {
  it('offers a root shell on another console while the app runs, and ends with the app', async () => {
    const run = startVsb(['run', '-n', 'vsb-shell-test', '--shell', '-S', 'nobody', '--', 'sleep', '60'], { keepStdin: true });
    const connection = await new LibvirtNativeConnector().open('lxc:///');
    try {
      let stderr = '';
      run.child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
      assert.ok(await waitFor(() => stderr.includes('debug shell:'), 15_000), stderr);
      // console1 with the socket transport (the default here); console-rpc's own console would make it console2.
      const devname = /^vsb: debug shell: virsh -c lxc:\/\/\/ console vsb-shell-test (console\d)$/m.exec(stderr)?.[1];
      assert.equal(devname, 'console1', stderr);
      const domain = await connection.lookupByName('vsb-shell-test');
      assert.ok(domain);
      const console = await domain.openConsole(devname);
      let seen = '';
      console.on('data', (b: Buffer) => (seen += b.toString()));
      console.write('echo "SHELL-$((6*7)) $(id -u)"\n');
      assert.ok(await waitFor(() => /SHELL-42 0/.test(seen), 10_000), `shell said: ${JSON.stringify(seen)}`);
      console.destroy();
    } finally {
      run.child.kill('SIGTERM');
      await run.result;
      await connection.close();
    }
    assert.ok(await waitFor(() => !domains().includes('vsb-shell-test') && !stateDirs().includes('vsb-shell-test'), 3000));
  });
});
