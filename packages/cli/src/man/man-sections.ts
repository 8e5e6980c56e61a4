/**
 * One entry of a hand-written section: a paragraph, or a term (a variable, a path, an exit code)
 * with its explanation, rendered as roff's tagged paragraph.
 */
export type ManBlock = string | { readonly term: string; readonly text: string };

/**
 * The sections of a man page that oclif's command metadata lacks, written once beside the command
 * (`commands/NAME-man.ts`); the generator adds NAME, SYNOPSIS, DESCRIPTION, OPTIONS and EXAMPLES.
 */
export interface ManSections {
  readonly exitStatus?: readonly ManBlock[];
  readonly environment?: readonly ManBlock[];
  readonly files?: readonly ManBlock[];
  readonly security?: readonly ManBlock[];
  /** Other pages, as `name(section)`. */
  readonly seeAlso?: readonly string[];
}
