'use strict';
// The CLI's own cost: `vsb --help` and `vsb run --help` against `node -e 0`, and the peak RSS of
// `vsb run` idle and while 200 MB flow through it.
const { vsbRun } = require('./names');
const { rounds } = require('./rounds');
const { check, runProcess } = require('./run-process');
const { BIG, NODE, VSB } = require('./settings');

/** The CLI rounds: ms of the help commands, KB of peak RSS of the runs. */
async function cliCost() {
  const timed = (args) => async () => check(await runProcess(NODE, args), args.join(' ')).ms;
  const rss = (args) => async () => check(await runProcess(...vsbRun(args), { rss: true, countStdout: true }), 'vsb run').rssKb;
  const head = ['head', '-c', String(BIG), '/dev/zero'];
  const input = Buffer.alloc(BIG, 0x61);
  return rounds('CLI', {
    'vsb --help': timed([VSB, '--help']),
    'vsb run --help': timed([VSB, 'run', '--help']),
    'node -e 0': timed(['-e', '0']),
    'peak RSS vsb run /bin/true': rss(['/bin/true']),
    'peak RSS vsb run 200 MB stdout': rss(head),
    'peak RSS vsb run 200 MB stdin': async () => check(await runProcess(...vsbRun(['sh', '-c', 'cat > /dev/null']), { rss: true, input }), 'vsb run').rssKb,
  });
}

module.exports = { cliCost };
