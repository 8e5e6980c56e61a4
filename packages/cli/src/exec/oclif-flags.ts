import { Flags, type Interfaces } from '@oclif/core';
import type { LeanFlag } from './lean-args';

/** A lean command's options as oclif flags: what its help, man page and completion show. */
export function oclifFlags(defs: readonly LeanFlag[]): Interfaces.FlagInput {
  return Object.fromEntries(
    defs.map((d) => {
      const common = { char: d.char as Interfaces.AlphabetLowercase | undefined, summary: d.summary };
      if (!d.helpValue) return [d.name, Flags.boolean(common)];
      return [d.name, d.multiple ? Flags.string({ ...common, helpValue: d.helpValue, multiple: true }) : Flags.string({ ...common, helpValue: d.helpValue })];
    }),
  );
}
