'use strict';
// The floors of `vsb run -c qemu:///system -- /bin/true`: the same machine type, kernel, initrd and
// kernel command line vsb would boot (read from its --dry-run XML), with an init that powers off at
// once: (a) as a bare qemu-system-x86_64 the bench starts itself, (b) as the same domain through
// libvirt (vsb's binding, createXML, "stopped" event) without vsb. The floor init is appended to
// vsb's initrd as a second cpio archive, so the kernel unpacks everything vsb's initrd holds and
// then runs it as /init.
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { REPO, VSB } = require('./settings');

const QEMU_URI = 'qemu:///system';

// Prints the guest's uptime as it starts (on the serial console, which the bench may log), then powers off.
const POWEROFF_C = `#include <fcntl.h>
#include <stdio.h>
#include <sys/reboot.h>
#include <time.h>
#include <unistd.h>
int main(void) {
  struct timespec t;
  int fd = open("/dev/console", O_WRONLY | O_NOCTTY);
  clock_gettime(CLOCK_BOOTTIME, &t);
  if (fd >= 0) dprintf(fd, "vsb-floor: /init at %lld ms\\n", t.tv_sec * 1000LL + t.tv_nsec / 1000000);
  reboot(RB_POWER_OFF);
  return 1;
}
`;

/** The group of libvirt's own QEMU label (`<baselabel type='qemu'>+64055:+64055` of the DAC model). */
function qemuGroup() {
  const caps = execFileSync('virsh', ['-c', QEMU_URI, 'capabilities'], { encoding: 'utf8' });
  const m = /<model>dac<\/model>[\s\S]*?<baselabel type='qemu'>[^:<]*:([^<]+)<\/baselabel>/.exec(caps);
  if (!m) throw new Error('libvirt capabilities: no DAC base label for qemu');
  return m[1];
}

/** What vsb's QEMU backend would boot for `/bin/true`: its domain XML and the parts a bare QEMU needs. */
function vsbVm() {
  const xml = execFileSync(process.execPath, [VSB, 'run', '--dry-run', '-c', QEMU_URI, '--', '/bin/true'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const pick = (re) => {
    const m = xml.match(re);
    if (!m) throw new Error(`vsb --dry-run: no ${re} in its XML`);
    return m[1];
  };
  const unescape = (s) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  return {
    xml,
    machine: pick(/machine="([^"]+)"/),
    kernel: pick(/<kernel>([^<]+)<\/kernel>/),
    initrd: pick(/<initrd>([^<]+)<\/initrd>/),
    cmdline: unescape(pick(/<cmdline>([^<]*)<\/cmdline>/)),
    memoryKiB: Number(pick(/<memory unit="KiB">(\d+)<\/memory>/)),
  };
}

/**
 * Makes the floor's files in a new temp dir (removed by `cleanup`): a static power-off init and
 * vsb's initrd with it appended as /init.
 */
function prepareFloor() {
  const vm = vsbVm();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-bench-vm-'));
  // QEMU runs as vsb's per-sandbox uid (its XML's DAC label): the floor's files must be open to it.
  fs.chmodSync(dir, 0o755);
  fs.writeFileSync(path.join(dir, 'poweroff.c'), POWEROFF_C);
  const bin = path.join(dir, 'poweroff');
  execFileSync('gcc', ['-static', '-O2', '-o', bin, path.join(dir, 'poweroff.c')]);
  const { newcArchive } = require(path.join(REPO, 'packages', 'vm-boot', 'dist', 'src', 'newc-archive'));
  const initrd = path.join(dir, 'initrd');
  fs.writeFileSync(initrd, Buffer.concat([fs.readFileSync(vm.initrd), newcArchive([{ type: 'file', path: 'init', data: fs.readFileSync(bin), mode: 0o755 }])]));
  fs.chmodSync(initrd, 0o644);
  const libvirtXml = (name) =>
    vm.xml
      .replace(/<name>[^<]*<\/name>/, `<name>${name}</name>`)
      // A dry run cannot ask libvirt for its QEMU group; a real run puts the per-sandbox uid in it.
      .replace(/<label>\+(\d+):\+\d+<\/label>/, (_, uid) => `<label>+${uid}:${qemuGroup()}</label>`)
      .replace(/<initrd>[^<]*<\/initrd>/, `<initrd>${initrd}</initrd>`)
      // The config dir only exists for a vsb run; the floor's init reads nothing.
      .replace(/<filesystem(?:(?!<\/filesystem>)[\s\S])*sandbox:config(?:(?!<\/filesystem>)[\s\S])*<\/filesystem>/, '');
  const cleanup = () => {
    fs.rmSync(dir, { recursive: true, force: true });
    for (const [signal, handler] of onSignal) process.removeListener(signal, handler);
  };
  // An interrupted bench must not leave the temp dir either.
  const onSignal = ['SIGINT', 'SIGTERM'].map((signal) => [
    signal,
    () => {
      cleanup();
      process.exit(128 + os.constants.signals[signal]);
    },
  ]);
  for (const [signal, handler] of onSignal) process.once(signal, handler);
  return { vm, dir, initrd, libvirtXml, cleanup };
}

/** argv of the bare QEMU: the machine and devices of vsb's domain (as libvirt starts it), no libvirt. */
function bareQemuArgs(floor, serialLog) {
  const { vm } = floor;
  return [
    '-machine',
    `${vm.machine},usb=off`,
    '-accel',
    'tcg',
    '-cpu',
    'qemu64',
    '-m',
    String(vm.memoryKiB / 1024),
    '-smp',
    '1',
    '-display',
    'none',
    '-no-user-config',
    '-nodefaults',
    '-no-reboot',
    '-rtc',
    'base=utc',
    '-kernel',
    vm.kernel,
    '-initrd',
    floor.initrd,
    '-append',
    vm.cmdline,
    '-device',
    'virtio-serial-device',
    '-fsdev',
    'local,security_model=passthrough,multidevs=remap,id=fs0,path=/,readonly=on',
    '-device',
    'virtio-9p-device,fsdev=fs0,mount_tag=sandbox:root',
    '-chardev',
    serialLog ? `file,id=s0,path=${serialLog}` : 'null,id=s0',
    '-device',
    'isa-serial,chardev=s0',
    '-chardev',
    'null,id=c0',
    '-device',
    'virtserialport,chardev=c0,name=org.vsb.stdio',
  ];
}

/** One bare QEMU boot to power-off, in ms. */
function bareQemuOnce(floor) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('qemu-system-x86_64', bareQemuArgs(floor), { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b) => (err += b));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`qemu exit ${code}: ${err.slice(0, 300)}`))));
  });
}

/**
 * The same VM through libvirt: open, createXML (AUTODESTROY), then ms to the guest's power-off
 * ("shutdown" event: vsb too ends when the guest is done) and to libvirt's "stopped" event.
 */
async function libvirtVmOnce(floor, name) {
  const { LibvirtNativeConnector } = require(path.join(REPO, 'packages', 'libvirt'));
  const t0 = performance.now();
  const conn = await new LibvirtNativeConnector().open(QEMU_URI);
  const at = {};
  const stopped = new Promise((resolve) => {
    const off = conn.onLifecycle((e) => {
      if (e.domain !== name) return;
      at[e.event] ??= performance.now() - t0;
      if (e.event === 'stopped') {
        off();
        resolve();
      }
    });
  });
  await conn.createXML(floor.libvirtXml(name), { autodestroy: true });
  await stopped;
  const ms = { poweroff: at.shutdown ?? at.stopped, stopped: at.stopped };
  await conn.close();
  // libvirt keeps a log per domain; the bench's own runs must not pile them up.
  fs.rmSync(`/var/log/libvirt/qemu/${name}.log`, { force: true });
  return ms;
}

/**
 * Waits (up to 15 s) until libvirt lists no domain whose name starts with `prefix`: it tears a VM
 * down for 1.4-2 s after the guest powered off, and a connection opened meanwhile waits on it, so
 * each VM variant starts from an idle libvirt, as a user's single run does.
 */
async function libvirtIdle(prefix) {
  for (let i = 0; i < 150; i++) {
    const names = execFileSync('virsh', ['-c', QEMU_URI, 'list', '--name'], { encoding: 'utf8' }).split('\n');
    if (!names.some((n) => n.startsWith(prefix))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

module.exports = { prepareFloor, bareQemuOnce, bareQemuArgs, libvirtVmOnce, libvirtIdle, QEMU_URI };
