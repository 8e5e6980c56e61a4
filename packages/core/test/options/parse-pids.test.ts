import { MAX_PIDS, parsePids } from '../../src/options';
import { itAccepts, itRejects } from './assert-option-error';

const RULE = `expected a whole number from 1 to ${MAX_PIDS}, or 'unlimited'`;

describe('parsePids', () => {
  itAccepts(parsePids, [
    ['1', 1],
    ['200', 200],
    ['4096', 4096],
    [String(MAX_PIDS), MAX_PIDS],
    ['unlimited', 0],
  ]);
  itRejects(parsePids, [
    ['0', 'VSB_USAGE', `--pids '0': ${RULE}`],
    [String(MAX_PIDS + 1), 'VSB_USAGE', `--pids '${MAX_PIDS + 1}': ${RULE}`],
    ['', 'VSB_USAGE', `--pids '': ${RULE}`],
    ['-5', 'VSB_USAGE', `--pids '-5': ${RULE}`],
    ['1e3', 'VSB_USAGE', `--pids '1e3': ${RULE}`],
    ['Unlimited', 'VSB_USAGE', `--pids 'Unlimited': ${RULE}`],
  ]);
});
