'use strict';
// What the figures were measured on, for the report and its JSON.
const { execFileSync } = require('node:child_process');
const os = require('node:os');

/** CPU, memory, kernel, Node and libvirt versions, and the load when the bench started. */
function machine() {
  const cmd = (c, a) => {
    try {
      return execFileSync(c, a, { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    cpu: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown'}`,
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    kernel: os.release(),
    node: process.version,
    libvirt: cmd('virsh', ['-c', 'lxc:///', 'version', '--daemon']).split('\n').filter(Boolean).join('; '),
    loadAverageAtStart: os.loadavg().map((x) => +x.toFixed(2)),
    shared: 'other engineers ran tests on the same libvirtd and cores meanwhile',
  };
}

module.exports = { machine };
