import { MIN_MEMORY_BYTES, parseMemory } from '../../src/options';
import { itAccepts, itRejects } from './assert-option-error';

describe('parseMemory', () => {
  itAccepts(parseMemory, [
    ['512M', 536870912],
    ['16MiB', MIN_MEMORY_BYTES],
    ['16777216', MIN_MEMORY_BYTES],
    ['3GiB', 3221225472],
    ['16TiB', 17592186044416],
  ]);
  itRejects(parseMemory, [
    ['8M', 'VSB_BAD_SIZE', `--memory '8M': a sandbox needs at least 16M of memory`],
    ['16777215', 'VSB_BAD_SIZE', `--memory '16777215': a sandbox needs at least 16M of memory`],
    ['0', 'VSB_BAD_SIZE', `--memory '0': a sandbox needs at least 16M of memory`],
    ['512X', 'VSB_BAD_SIZE', `--memory '512X': unknown size suffix 'X' (use K, KiB, M, MiB, G, GiB, T or TiB)`],
    ['lots', 'VSB_BAD_SIZE', `--memory 'lots': size 'lots' is not a number (e.g. 64M or 2GiB)`],
  ]);
});
