'use strict';
// Other sandboxes on the same machine, in the same run (bench/setup.sh installs them from Debian).
// Each gets one probe run first: one that does not start here is reported with its error text
// instead of a figure (systemd-nspawn and podman on this host's hybrid cgroups, so far).
const { runProcess } = require('./run-process');

/** argv prefix that runs the rest of the argv in the peer's sandbox. */
const PEERS = {
  bwrap: ['bwrap', '--ro-bind', '/', '/', '--dev', '/dev', '--unshare-all'],
  firejail: ['firejail', '--quiet', '--noprofile', '--net=none', '--private-tmp'],
  'systemd-nspawn': ['systemd-nspawn', '--quiet', '-D', '/', '--volatile=yes', '--register=no'],
  podman: ['podman', 'run', '--rm', '--network=none', '--rootfs', '/'],
};

/** The first line of a failed run's output that says something (the error, not a banner). */
function errorLine(r) {
  const text = `${r.stderr}\n${r.stdout}`
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return (text.find((l) => /error|fail|denied|not permitted|cannot|unable/i.test(l)) ?? text[0] ?? `exit ${r.code}`).slice(0, 160);
}

/** name -> argv prefix of the peers that run `/bin/true` here; name -> error text of those that don't. */
async function probePeers() {
  const working = {};
  const failed = {};
  for (const [name, prefix] of Object.entries(PEERS)) {
    const r = await runProcess(prefix[0], [...prefix.slice(1), '/bin/true']).catch((e) => ({ code: -1, stderr: e.message, stdout: '' }));
    if (r.code === 0) working[name] = prefix;
    else failed[name] = errorLine(r);
  }
  return { working, failed };
}

module.exports = { probePeers };
