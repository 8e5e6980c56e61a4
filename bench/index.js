#!/usr/bin/env node
'use strict';
// `npm run bench`: vsb against baselines measured in the same interleaved rounds (warm-up first,
// then SAMPLES rounds; each round runs every variant once, in turn), so the ratios hold on a
// shared, noisy machine. Prints a table of medians and ratios; writes the samples as JSON under
// bench/results/. Speed is never asserted in tests: this is where it is measured. ONLY=vm runs the
// VM rows alone, ONLY=exec those of vsb exec (bench/exec.js); SAMPLES, WARMUP and VM_SAMPLES set
// the rounds (bench/settings.js).
const fs = require('node:fs');
const path = require('node:path');
const { cliCost } = require('./cli-cost');
const { concurrency } = require('./concurrency');
const { execBench, execReport } = require('./exec');
const { fullReport } = require('./full-report');
const { removeLibvirtLeftovers } = require('./libvirt-leftovers');
const { machine } = require('./machine');
const { name, names } = require('./names');
const { probePeers } = require('./peers');
const { rounds } = require('./rounds');
const { BIG, CONCURRENT, REPO, SAMPLES, VM_BIG, VM_SAMPLES, WARMUP } = require('./settings');
const { startup } = require('./startup');
const { table } = require('./table');
const { throughput } = require('./throughput');
const { vmSection, vmTables } = require('./vm-section');

/** The exec section (bench/exec.js) with this bench's rounds and sizes. */
function execSection() {
  return execBench({ rounds, name, samples: SAMPLES, vmSamples: VM_SAMPLES, bytes: BIG, vmBytes: VM_BIG });
}

async function main() {
  if (process.env.ONLY === 'exec') {
    const e = execReport(await execSection());
    console.log([...e.lines, '', table([['target', ''], ...Object.entries(e.targets)])].join('\n'));
    return;
  }
  if (process.env.ONLY === 'vm') {
    // The VM rows alone (e.g. before/after a boot change); nothing is written to bench/results.
    console.log(vmTables(await vmSection()).join('\n'));
    return;
  }
  const started = new Date();
  const info = machine();
  const peers = await probePeers();
  const s = await startup(peers.working);
  const t = await throughput(peers.working);
  const v = await vmSection();
  const c = await concurrency();
  const e = execReport(await execSection());
  const k = await cliCost();
  const { text, medians, targets } = fullReport({ started, info, peers, s, t, v, c, e, k });
  console.log(text);
  const dir = path.join(__dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${started.toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        started: started.toISOString(),
        samples: SAMPLES,
        warmup: WARMUP,
        machine: info,
        peersFailed: peers.failed,
        medians,
        targets,
        table: text,
        samplesRaw: { startupMs: s.ms, throughputMBps: t, vmMs: v.ms, vmStdoutMBps: v.stdoutMBps, concurrency: c[`${CONCURRENT} at once`], cli: k },
      },
      null,
      2,
    ),
  );
  console.log(`\nwritten: ${path.relative(REPO, file)}`);
}

main()
  .finally(() => removeLibvirtLeftovers(names))
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
