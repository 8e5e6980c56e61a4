#!/usr/bin/env node
// Median of `open + createXML(/bin/true init) + stopped event` through @vsb/libvirt, against
// `virsh create` of the same XML (returns when started) and `virsh create` + polling `virsh
// domstate` until the domain is gone. Needs a running libvirtd: `npm run setup`.
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { LibvirtNativeConnector } = require('..');

const RUNS = Number(process.env.RUNS ?? 10);
const URI = 'lxc:///';

function xml(name) {
  return `<domain type='lxc'><name>${name}</name><memory unit='MiB'>64</memory>
  <os><type>exe</type><init>/bin/true</init></os><features><privnet/></features>
  <devices><filesystem type='mount'><source dir='/'/><target dir='/'/><readonly/></filesystem>
  <console type='pty'/></devices></domain>`;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const now = () => Number(process.hrtime.bigint()) / 1e6;

async function bindingRun(name) {
  const t0 = now();
  const conn = await new LibvirtNativeConnector().open(URI);
  const stopped = new Promise((resolve) => {
    const off = conn.onLifecycle((e) => {
      if (e.domain === name && e.event === 'stopped') {
        off();
        resolve();
      }
    });
  });
  await conn.createXML(xml(name), { autodestroy: true });
  await stopped;
  const ms = now() - t0;
  await conn.close();
  return ms;
}

function virshRun(name, file) {
  fs.writeFileSync(file, xml(name));
  const t0 = now();
  execFileSync('virsh', ['-q', '-c', URI, 'create', file], { stdio: 'ignore' });
  const created = now() - t0;
  for (;;) {
    const r = spawnSync('virsh', ['-q', '-c', URI, 'domstate', name], { encoding: 'utf8' });
    if (r.status !== 0 || !/running/.test(r.stdout)) break;
  }
  return { created, gone: now() - t0 };
}

async function main() {
  const file = path.join(os.tmpdir(), `vsb-bench-${process.pid}.xml`);
  await bindingRun(`vsb-bench-warm-${process.pid}`); // loads the addon once
  const binding = [];
  const virshCreate = [];
  const virshGone = [];
  for (let i = 0; i < RUNS; i++) {
    binding.push(await bindingRun(`vsb-bench-b-${process.pid}-${i}`));
    const v = virshRun(`vsb-bench-v-${process.pid}-${i}`, file);
    virshCreate.push(v.created);
    virshGone.push(v.gone);
  }
  fs.rmSync(file, { force: true });
  const fmt = (xs) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
  console.log(`binding open+createXML+stopped event: ${fmt(binding)}`);
  console.log(`virsh create (returns when started):  ${fmt(virshCreate)}`);
  console.log(`virsh create until domstate gone:     ${fmt(virshGone)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
