'use strict';
// The bench's interleaved rounds, and vsb's own time per step read from its VSB_TIMING lines.
const { SAMPLES, WARMUP } = require('./settings');
const { median } = require('./stats');

/** Runs `variants` (name -> async () => sample) in WARMUP + SAMPLES interleaved rounds. */
async function rounds(title, variants, samples = SAMPLES, warmup = WARMUP) {
  const result = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let i = 0; i < warmup + samples; i++) {
    process.stderr.write(`\r${title}: round ${i + 1}/${warmup + samples}   `);
    for (const [key, sample] of Object.entries(variants)) {
      const value = await sample();
      if (i >= warmup) result[key].push(value);
    }
  }
  process.stderr.write('\n');
  return result;
}

/** Milliseconds of each `vsb: +Nms STEP` line of VSB_TIMING output. */
function marks(stderr) {
  return Object.fromEntries([...stderr.matchAll(/^vsb: \+(\d+)ms (\S+)$/gm)].map((m) => [m[2], Number(m[1])]));
}

/**
 * vsb's own time per step, from its timestamps (ms since the process started): each step is
 * [label, from mark, to mark], where no from mark is the process start and no to mark its exit.
 */
function breakdown(r, steps) {
  const m = marks(r.stderr);
  return Object.fromEntries(steps.map(([label, from, to]) => [label, (to ? m[to] : r.ms) - (from ? m[from] : 0)]));
}

/** The median time of each step over the runs `runs` (results of runProcess with VSB_TIMING). */
function medianSteps(runs, steps) {
  const each = runs.map((r) => breakdown(r, steps));
  return Object.fromEntries(Object.keys(each[0]).map((k) => [k, median(each.map((s) => s[k]))]));
}

module.exports = { rounds, medianSteps };
