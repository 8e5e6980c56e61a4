#!/usr/bin/env node
// Throughput of an LXC console through @vsb/libvirt: the guest writes SIZE bytes to its raw tty
// (guest -> host), then echoes SIZE bytes written by the host (host -> guest -> host).
'use strict';
const { LibvirtNativeConnector } = require('..');

const SIZE = Number(process.env.SIZE ?? 64 * 1024 * 1024);
const now = () => Number(process.hrtime.bigint()) / 1e6;

function xml(name, script) {
  const esc = script.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&apos;');
  return `<domain type='lxc'><name>${name}</name><memory unit='MiB'>128</memory>
  <os><type>exe</type><init>/bin/sh</init><initarg>-c</initarg><initarg>${esc}</initarg></os>
  <features><privnet/></features><devices><filesystem type='mount'><source dir='/'/><target dir='/'/><readonly/></filesystem>
  <console type='pty'/></devices></domain>`;
}

async function measure(conn, name, script, input) {
  const dom = await conn.createXML(xml(name, script), { autodestroy: true });
  const tty = await dom.openConsole();
  let bytes = 0;
  let t0 = 0;
  let chunks = 0;
  const done = new Promise((resolve, reject) => {
    tty.on('data', (c) => {
      if (t0 === 0) t0 = now();
      bytes += c.length;
      chunks += 1;
    });
    tty.once('end', resolve);
    tty.once('error', reject);
  });
  tty.write('go\n');
  if (input) setTimeout(() => tty.write(input), 100);
  await done;
  const ms = now() - t0;
  return `${(bytes / 1e6).toFixed(1)} MB in ${ms.toFixed(0)} ms = ${(bytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s, ${chunks} chunks (avg ${(bytes / chunks / 1024).toFixed(1)} KiB)`;
}

async function main() {
  const conn = await new LibvirtNativeConnector().open('lxc:///');
  try {
    console.log('guest -> host:', await measure(conn, `vsb-bench-out-${process.pid}`, `read x; stty raw -echo; printf S; head -c ${SIZE} /dev/zero`));
    const echoSize = Math.min(SIZE, 16 * 1024 * 1024);
    console.log(
      'host -> guest -> host:',
      await measure(conn, `vsb-bench-echo-${process.pid}`, `read x; stty raw -echo; printf S; head -c ${echoSize}`, Buffer.alloc(echoSize, 7)),
    );
  } finally {
    await conn.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
