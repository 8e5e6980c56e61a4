'use strict';
// Throughput: 200 MB through the app's stdout and stdin, on both transports, against the same
// commands run directly and in the peers.
const { vsbRun } = require('./names');
const { rounds } = require('./rounds');
const { check, runProcess } = require('./run-process');
const { BIG } = require('./settings');

/** The throughput rounds: MB/s of each variant, first to last byte (`flow`) and to the exit (`toEnd`). */
async function throughput(peers) {
  const input = Buffer.alloc(BIG, 0x61);
  const rate = (flowMs, toEndMs) => ({ flow: BIG / 1e6 / (flowMs / 1000), toEnd: BIG / 1e6 / (toEndMs / 1000) });
  const out = (cmd, args) => async () => {
    const r = check(await runProcess(cmd, args, { countStdout: true }), cmd);
    if (r.bytes !== BIG) throw new Error(`${cmd}: ${r.bytes} bytes, want ${BIG}`);
    return rate(r.outFlowMs, r.outMs);
  };
  const inp = (cmd, args) => async () => {
    const r = check(await runProcess(cmd, args, { input }), cmd);
    return rate(r.inFlowMs, r.inMs);
  };
  const head = ['head', '-c', String(BIG), '/dev/zero'];
  const sink = ['sh', '-c', 'cat > /dev/null'];
  return rounds('throughput', {
    'stdout vsb': () => out(...vsbRun(head))(),
    'stdout vsb (console-rpc)': () => out(...vsbRun(head, ['--transport', 'console-rpc']))(),
    'stdout direct': out(head[0], head.slice(1)),
    ...Object.fromEntries(Object.entries(peers).map(([peer, prefix]) => [`stdout ${peer}`, out(prefix[0], [...prefix.slice(1), ...head])])),
    'stdin vsb': () => inp(...vsbRun(sink))(),
    'stdin vsb (console-rpc)': () => inp(...vsbRun(sink, ['--transport', 'console-rpc']))(),
    'stdin direct': inp(sink[0], sink.slice(1)),
  });
}

module.exports = { throughput };
