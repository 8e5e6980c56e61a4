'use strict';
// The domain names the bench hands out, remembered: its own floors leave libvirt's files, which
// it removes at the end (bench/libvirt-leftovers.js).
const { NODE, VSB } = require('./settings');

let seq = 0;
/** Every name handed out so far. */
const names = [];

/** A fresh domain name of this bench process. */
function name() {
  names.push(`vsb-bench-${process.pid}-${seq++}`);
  return names[names.length - 1];
}

/** [command, argv] of `vsb run -n NAME [extra...] -- args...` under a fresh name. */
const vsbRun = (args, extra = []) => [NODE, [VSB, 'run', '-n', name(), ...extra, '--', ...args]];

module.exports = { names, name, vsbRun };
