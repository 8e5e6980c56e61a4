'use strict';
// Start-up: `vsb run -- /bin/true` (both transports) against the libvirt floors, the peers and
// `node -e 0`, and vsb's own steps from its timestamps.
const path = require('node:path');
const { floorOnce } = require('./libvirt-floor');
const { name, vsbRun } = require('./names');
const { medianSteps, rounds } = require('./rounds');
const { check, runProcess } = require('./run-process');
const { NODE } = require('./settings');

const LXC_STEPS = [
  ['CLI load (Node + oclif + modules)', undefined, 'cli'],
  ['connect to libvirtd', 'cli', 'connect'],
  ['config + XML', 'connect', 'plan'],
  ['state dir + listen', 'plan', 'state'],
  ['createXML', 'state', 'create'],
  ['handshake', 'create', 'attach'],
  ['app', 'attach', 'app'],
  ['guest end (channel EOF)', 'app', 'guest-done'],
  ['teardown (state dir)', 'guest-done', 'exit'],
  ['process exit', 'exit', undefined],
];

/** The start-up rounds: ms samples of each variant, and the median of each of vsb's steps. */
async function startup(peers) {
  const timed = async (cmd, args, env) => check(await runProcess(cmd, args, { env }), cmd);
  const samples = await rounds('start-up', {
    vsb: async () => {
      const [cmd, args] = vsbRun(['/bin/true']);
      return timed(cmd, args, { VSB_TIMING: '1' });
    },
    'vsb (console-rpc)': async () => {
      const [cmd, args] = vsbRun(['/bin/true'], ['--transport', 'console-rpc']);
      return timed(cmd, args);
    },
    'libvirt floor (process)': () => timed(NODE, [path.join(__dirname, 'libvirt-floor.js'), name()]),
    'libvirt floor (in-process)': async () => ({ ms: await floorOnce(name()) }),
    ...Object.fromEntries(Object.entries(peers).map(([peer, prefix]) => [peer, () => timed(prefix[0], [...prefix.slice(1), '/bin/true'])])),
    'node -e 0': () => timed(NODE, ['-e', '0']),
  });
  const ms = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, v.map((s) => s.ms)]));
  return { ms, steps: medianSteps(samples.vsb, LXC_STEPS) };
}

module.exports = { startup };
