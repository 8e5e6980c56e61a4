import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { assertNothingLeft, domains, started, vsb, waitFor, TEARDOWN_MS } from './vsb';
import { bridgePorts, createRejectFilter, createTestNetwork, sandboxInterfaces, serve, type TestNetwork } from './test-network';

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

/** `KEY=value` lines of a run's stdout, by key (the apps below print one per check). */
function lines(stdout: Buffer): Map<string, string> {
  return new Map(
    stdout
      .toString()
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

describe('vsb run -N on lxc:/// and qemu:///system (real libvirtd, an isolated test network)', function () {
  this.timeout(90_000);
  let net: TestNetwork;
  let web: { port: number; close(): Promise<void> };
  let other: { port: number; close(): Promise<void> };
  let filter: { name: string; undefine(): void };
  const page = crypto.randomBytes(50_000);
  const interfacesBefore = new Set<string>();

  before(async () => {
    for (const n of sandboxInterfaces()) interfacesBefore.add(n);
    net = createTestNetwork();
    web = await serve(net.gateway, page);
    other = await serve(net.gateway, Buffer.from('other port\n'));
    filter = createRejectFilter(web.port);
  });

  after(async () => {
    await web?.close();
    await other?.close();
    filter?.undefine();
    net?.destroy();
    assert.ok(!fs.existsSync(`/sys/class/net/${net.bridge}`), `bridge ${net.bridge} still there`);
  });

  afterEach(async () => {
    await assertNothingLeft();
    // libvirt removes a container's veth with the container, just after vsb exits.
    assert.ok(await waitFor(() => bridgePorts(net.bridge).length === 0, TEARDOWN_MS), `ports left on ${net.bridge}: ${bridgePorts(net.bridge).join(', ')}`);
    const left = sandboxInterfaces().filter((n) => !interfacesBefore.has(n));
    assert.deepEqual(left, [], 'vnet/veth interfaces left on the host');
    // vsb never reserves addresses (the init asks DHCP itself): the network's definition is as made.
    assert.doesNotMatch(execFileSync('virsh', ['-q', '-c', 'qemu:///system', 'net-dumpxml', net.name], { encoding: 'utf8' }), /<host mac=/);
  });

  const url = (port: number) => `http://${net.gateway}:${port}/page`;

  it('dhcp: a leased address in the range, the page byte-exact, the DNS entry, a private resolv.conf', async () => {
    const hostResolv = fs.readFileSync('/etc/resolv.conf');
    const script = [
      `echo sha=$(curl -sS ${url(web.port)} | sha256sum | cut -d' ' -f1)`,
      `echo other=$(curl -sS ${url(other.port)})`,
      `echo dns=$(getent hosts ${net.dnsName})`,
      `echo addr=$(ip -o -4 addr show dev eth0 | awk '{print $4}')`,
      `echo route=$(ip route show default)`,
      `echo resolv=$(cat /etc/resolv.conf)`,
      `echo hosts=$(grep -c "$(hostname)" /etc/hosts)`,
      `echo links=$(ls /sys/class/net | paste -sd,)`,
    ].join('; ');
    const r = await vsb(['run', '-N', `source=${net.name},dhcp`, '--', 'sh', '-c', script]);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    const out = lines(r.stdout);
    assert.equal(out.get('sha'), sha(page));
    assert.equal(out.get('other'), 'other port');
    assert.match(out.get('dns') ?? '', new RegExp(`^${net.gateway.replace(/\./g, '\\.')}\\s+${net.dnsName}$`));
    const [ip, prefixLen] = (out.get('addr') ?? '').split('/');
    assert.ok(ip.startsWith(`${net.prefix}.`), `address ${out.get('addr')}`);
    const host = Number(ip.split('.')[3]);
    assert.ok(host >= net.dhcpFirst && host <= net.dhcpLast, `address ${ip} outside the DHCP range`);
    assert.equal(prefixLen, '24');
    // libvirt's dnsmasq offers no router on a network without <forward> (the DHCP router is set from passt's lease in the QEMU test).
    assert.equal(out.get('route'), '');
    assert.equal(out.get('resolv'), `nameserver ${net.gateway}`);
    assert.equal(out.get('hosts'), '1');
    assert.equal(out.get('links'), 'eth0,lo');
    assert.deepEqual(fs.readFileSync('/etc/resolv.conf'), hostResolv, 'the host resolv.conf changed');
  });

  it('static address= and route=, mac=, and a second -N as eth1', async () => {
    const mac = `52:54:00:${crypto.randomBytes(3).toString('hex').match(/../g)!.join(':')}`;
    const script = [
      `echo sha=$(curl -sS ${url(web.port)} | sha256sum | cut -d' ' -f1)`,
      `echo addr=$(ip -o -4 addr show dev eth0 | awk '{print $4}')`,
      `echo brd=$(ip -o -4 addr show dev eth0 | awk '{print $6}')`,
      `echo addr6=$(ip -o -6 addr show dev eth0 scope global | awk '{print $4}')`,
      `echo route=$(ip route show 10.214.0.0/16)`,
      `echo mac=$(cat /sys/class/net/eth0/address)`,
      `echo eth1=$(ip -o -4 addr show dev eth1 | awk '{print $4}')`,
    ].join('; ');
    const r = await vsb([
      'run',
      '-N',
      `source=${net.name},address=${net.prefix}.50/24%${net.prefix}.255,address=fd13:213::50/64,route=10.214.0.0/16%${net.gateway},mac=${mac}`,
      '-N',
      `source=${net.name},dhcp`,
      '--',
      'sh',
      '-c',
      script,
    ]);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    const out = lines(r.stdout);
    assert.equal(out.get('sha'), sha(page));
    assert.equal(out.get('addr'), `${net.prefix}.50/24`);
    assert.equal(out.get('brd'), `${net.prefix}.255`);
    assert.equal(out.get('addr6'), 'fd13:213::50/64');
    assert.match(out.get('route') ?? '', new RegExp(`^10\\.214\\.0\\.0/16 via ${net.gateway.replace(/\./g, '\\.')} dev eth0`));
    assert.equal(out.get('mac'), mac);
    assert.ok((out.get('eth1') ?? '').startsWith(`${net.prefix}.`), `eth1: ${out.get('eth1')}`);
  });

  it('filter=: the nwfilter rejects TCP to one port, another port still works', async () => {
    const script = `curl -sS --max-time 20 ${url(web.port)} >/dev/null 2>&1; echo filtered=$?; echo other=$(curl -sS ${url(other.port)})`;
    const r = await vsb(['run', '-N', `source=${net.name},dhcp,filter=${filter.name}`, '--', 'sh', '-c', script]);
    assert.equal(r.stderr, '');
    const out = lines(r.stdout);
    assert.notEqual(out.get('filtered'), '0', 'the filtered port answered');
    assert.equal(out.get('other'), 'other port');
  });

  it('without -N: loopback only, no route', async () => {
    const r = await vsb(['run', '--', 'sh', '-c', 'echo links=$(ls /sys/class/net | paste -sd,); echo routes=$(ip route | wc -l)']);
    assert.equal(r.code, 0);
    const out = lines(r.stdout);
    assert.equal(out.get('links'), 'lo');
    assert.equal(out.get('routes'), '0');
  });

  it('qemu:///system: virtio-net with dhcp (page, DNS entry, address in range), -N user as eth1 reaching the host loopback, --disk written with dd', async function () {
    // One TCG VM for every QEMU check: a boot costs 10-20 s here.
    this.timeout(240_000);
    const local = await serve('127.0.0.1', Buffer.from('host loopback\n'));
    const dir = fs.mkdtempSync('/var/tmp/vsb-vmdisk-');
    const img = `${dir}/vm.img`;
    fs.writeFileSync(img, '');
    fs.truncateSync(img, 4 * 1024 * 1024);
    // A root caller's QEMU runs as a per-sandbox uid: the image must be open to it.
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(img, 0o666);
    const pattern = crypto.randomBytes(8).toString('hex');
    try {
      const script = [
        `printf ${pattern} | dd of=/dev/disk/by-tag/vmdata bs=512 seek=100 conv=notrunc 2>/dev/null && sync && echo disk=written`,
        `echo sha=$(curl -sS ${url(web.port)} | sha256sum | cut -d' ' -f1)`,
        `echo dns=$(getent hosts ${net.dnsName})`,
        `echo addr=$(ip -o -4 addr show dev eth0 | awk '{print $4}')`,
        `echo links=$(ls /sys/class/net | paste -sd,)`,
        // The user-mode network's lease gives the default route; its gateway is the host's loopback.
        `gw=$(ip route show default dev eth1 | cut -d' ' -f3); echo gw=$gw`,
        `echo local=$(curl -sS http://$gw:${local.port}/)`,
      ].join('; ');
      const r = await vsb([
        'run',
        '-c',
        'qemu:///system',
        '-N',
        `source=${net.name},dhcp`,
        '-N',
        'user',
        '--disk',
        `file:vmdata=${img}`,
        '--',
        'sh',
        '-c',
        script,
      ]);
      assert.equal(
        r.stderr
          .split('\n')
          .filter((l) => l && !l.startsWith('vsb: note: '))
          .join('\n'),
        '',
      );
      assert.equal(r.code, 0);
      const out = lines(r.stdout);
      assert.equal(out.get('sha'), sha(page));
      assert.match(out.get('dns') ?? '', new RegExp(`^${net.gateway.replace(/\./g, '\\.')}\\s+${net.dnsName}$`));
      const host = Number((out.get('addr') ?? '').split('/')[0].split('.')[3]);
      assert.ok((out.get('addr') ?? '').startsWith(`${net.prefix}.`) && host >= net.dhcpFirst && host <= net.dhcpLast, `address ${out.get('addr')}`);
      assert.equal(out.get('links'), 'eth0,eth1,lo');
      assert.match(out.get('gw') ?? '', /^\d+\.\d+\.\d+\.\d+$/);
      assert.equal(out.get('local'), 'host loopback');
      assert.equal(out.get('disk'), 'written');
      const fd = fs.openSync(img, 'r');
      const back = Buffer.alloc(16);
      fs.readSync(fd, back, 0, 16, 100 * 512);
      fs.closeSync(fd);
      assert.equal(back.toString(), pattern);
    } finally {
      await local.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // A VM's domain outlives vsb by libvirt's 1.4-2 s of cleanup after QEMU exited.
    assert.ok(await waitFor(() => !domains('qemu:///system').some((d) => d.startsWith('vsb-t') && started.has(d)), 10_000));
  });

  describe('bad input: one line, before any domain', () => {
    const cases: Array<[string, () => string[], number, RegExp]> = [
      [
        'an unknown network',
        () => ['-N', 'source=vsb-no-such-net,dhcp'],
        1,
        /^vsb: --network source=vsb-no-such-net: no active libvirt network 'vsb-no-such-net' \(none has that name; list them: virsh net-list --all\)$/,
      ],
      ['-N user on LXC', () => ['-N', 'user'], 2, /^vsb: --network user: user-mode networking is for VMs/],
      [
        'dhcp with address=',
        () => ['-N', `source=${net.name},dhcp,address=${net.prefix}.5/24`],
        2,
        /^vsb: --network .*dhcp cannot be combined with address= or route=$/,
      ],
      [
        'an unknown filter',
        () => ['-N', `source=${net.name},dhcp,filter=vsb-no-such-filter`],
        2,
        /^vsb: --network filter=vsb-no-such-filter: no libvirt nwfilter 'vsb-no-such-filter' \(list them: virsh nwfilter-list\)$/,
      ],
    ];
    for (const [what, args, code, message] of cases) {
      it(what, async () => {
        const name = `vsb-tbad${crypto.randomBytes(3).toString('hex')}`;
        const r = await vsb(['run', '-n', name, ...args(), '--', 'true']);
        assert.equal(r.code, code, r.stderr);
        assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
        assert.match(r.stderr.trimEnd(), message);
        // libvirt writes a domain's log as it starts it: none means no domain was ever made.
        assert.ok(!domains().includes(name) && !fs.existsSync(`/var/log/libvirt/lxc/${name}.log`), 'a domain was made');
      });
    }

    it('an inactive network', async () => {
      const name = `vsb-tidle${crypto.randomBytes(3).toString('hex')}`;
      const dir = fs.mkdtempSync('/tmp/vsb-tidle-');
      fs.writeFileSync(`${dir}/net.xml`, `<network><name>${name}</name><bridge name='vsbi${name.slice(-6)}'/></network>`);
      execFileSync('virsh', ['-q', '-c', 'qemu:///system', 'net-define', `${dir}/net.xml`]);
      fs.rmSync(dir, { recursive: true, force: true });
      try {
        const r = await vsb(['run', '-N', `source=${name}`, '--', 'true']);
        assert.equal(r.code, 1);
        assert.equal(r.stderr, `vsb: --network source=${name}: no active libvirt network '${name}' (start it: virsh net-start ${name})\n`);
      } finally {
        execFileSync('virsh', ['-q', '-c', 'qemu:///system', 'net-undefine', name]);
      }
    });
  });
});
