import { parseSize } from '../../src/options';
import { itAccepts, itRejects } from './assert-option-error';

const size = (text: string) => parseSize(text, '--memory');

describe('parseSize', () => {
  itAccepts(size, [
    ['0', 0],
    ['4096', 4096],
    ['7B', 7],
    ['1K', 1024],
    ['2k', 2048],
    ['3KiB', 3072],
    ['1M', 1048576],
    ['2m', 2097152],
    ['3MiB', 3145728],
    ['1G', 1073741824],
    ['2g', 2147483648],
    ['3GiB', 3221225472],
    ['4G', 4294967296],
    ['1T', 1099511627776],
    ['2t', 2199023255552],
    ['16TiB', 17592186044416],
    ['8191TiB', 9006099743113216],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
    ['000512M', 536870912],
  ]);
  itRejects(size, [
    ['', 'VSB_BAD_SIZE', `--memory '': missing size (e.g. 64M or 2GiB)`],
    ['12Q', 'VSB_BAD_SIZE', `--memory '12Q': unknown size suffix 'Q' (use K, KiB, M, MiB, G, GiB, T or TiB)`],
    ['5kib', 'VSB_BAD_SIZE', `--memory '5kib': unknown size suffix 'kib' (use K, KiB, M, MiB, G, GiB, T or TiB)`],
    ['5P', 'VSB_BAD_SIZE', `--memory '5P': unknown size suffix 'P' (use K, KiB, M, MiB, G, GiB, T or TiB)`],
    ['5 M', 'VSB_BAD_SIZE', `--memory '5 M': unknown size suffix ' M' (use K, KiB, M, MiB, G, GiB, T or TiB)`],
    ['1e9', 'VSB_BAD_SIZE', `--memory '1e9': unknown size suffix 'e9' (use K, KiB, M, MiB, G, GiB, T or TiB)`],
    ['5MB', 'VSB_BAD_SIZE', `--memory '5MB': ambiguous size suffix 'MB' (use M or MiB: sizes are binary multiples)`],
    ['5kB', 'VSB_BAD_SIZE', `--memory '5kB': ambiguous size suffix 'kB' (use K or KiB: sizes are binary multiples)`],
    ['x', 'VSB_BAD_SIZE', `--memory 'x': size 'x' is not a number (e.g. 64M or 2GiB)`],
    ['-1M', 'VSB_BAD_SIZE', `--memory '-1M': size '-1M' is not a number (e.g. 64M or 2GiB)`],
    ['1.5G', 'VSB_BAD_SIZE', `--memory '1.5G': size '1.5G' must be a whole number (use 1536M)`],
    ['0.5K', 'VSB_BAD_SIZE', `--memory '0.5K': size '0.5K' must be a whole number (use 512)`],
    ['1.1K', 'VSB_BAD_SIZE', `--memory '1.1K': size '1.1K' must be a whole number of bytes`],
    ['8192TiB', 'VSB_BAD_SIZE', `--memory '8192TiB': size '8192TiB' is too large (at most 9007199254740991 bytes, about 8 PiB)`],
    ['9007199254740992', 'VSB_BAD_SIZE', `--memory '9007199254740992': size '9007199254740992' is too large (at most 9007199254740991 bytes, about 8 PiB)`],
    [
      '99999999999999999999999T',
      'VSB_BAD_SIZE',
      `--memory '99999999999999999999999T': size '99999999999999999999999T' is too large (at most 9007199254740991 bytes, about 8 PiB)`,
    ],
  ]);
  itRejects(
    (text) => parseSize(text, '--mount', `ram:/tmp=${text}`),
    [['12Q', 'VSB_BAD_SIZE', `--mount 'ram:/tmp=12Q': unknown size suffix 'Q' (use K, KiB, M, MiB, G, GiB, T or TiB)`]],
  );
});
