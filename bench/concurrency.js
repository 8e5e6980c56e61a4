'use strict';
// Concurrency: CONCURRENT `vsb run`s at once, each of which must print its own line.
const { vsbRun } = require('./names');
const { rounds } = require('./rounds');
const { runProcess } = require('./run-process');
const { CONCURRENT } = require('./settings');

/** The concurrency rounds: total ms of each round and how many runs in it were correct. */
async function concurrency() {
  return rounds('concurrency', {
    [`${CONCURRENT} at once`]: async () => {
      const t0 = performance.now();
      const runs = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => runProcess(...vsbRun(['sh', '-c', `echo ${i}`]))));
      const ms = performance.now() - t0;
      const correct = runs.filter((r, i) => r.code === 0 && r.stdout === `${i}\n`).length;
      return { ms, correct };
    },
  });
}

module.exports = { concurrency };
