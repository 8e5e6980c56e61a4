import { MAX_VCPUS, parseVcpus } from '../../src/options';
import { itAccepts, itRejects } from './assert-option-error';

const RULE = `expected a whole number from 1 to ${MAX_VCPUS}`;

describe('parseVcpus', () => {
  itAccepts(parseVcpus, [
    ['1', 1],
    ['4', 4],
    ['0004', 4],
    ['4096', 4096],
  ]);
  itRejects(parseVcpus, [
    ['0', 'VSB_USAGE', `--vcpus '0': ${RULE}`],
    ['4097', 'VSB_USAGE', `--vcpus '4097': ${RULE}`],
    ['', 'VSB_USAGE', `--vcpus '': ${RULE}`],
    ['1.5', 'VSB_USAGE', `--vcpus '1.5': ${RULE}`],
    [' 2', 'VSB_USAGE', `--vcpus ' 2': ${RULE}`],
    ['0x2', 'VSB_USAGE', `--vcpus '0x2': ${RULE}`],
    ['-1', 'VSB_USAGE', `--vcpus '-1': ${RULE}`],
  ]);
});
