'use strict';
// What the bench runs and how much: the vsb under test, the rounds (SAMPLES, WARMUP and VM_SAMPLES
// from the environment) and the sizes of its transfers.
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');

module.exports = {
  REPO,
  VSB: path.join(REPO, 'packages', 'cli', 'bin', 'run.js'),
  NODE: process.execPath,
  SAMPLES: Number(process.env.SAMPLES ?? 10),
  WARMUP: Number(process.env.WARMUP ?? 2),
  BIG: 200_000_000,
  // A VM boots for seconds under TCG: fewer rounds keep `npm run bench` under ~10 minutes.
  VM_SAMPLES: Number(process.env.VM_SAMPLES ?? 5),
  VM_BIG: 20_000_000,
  CONCURRENT: 16,
};
