import type { RunningSandbox, SandboxConfig } from '@vsb/core';

/*
 * The lines vsb writes on stderr while a sandbox starts, the same whether `vsb run` writes them
 * itself or a detached sandbox's keeper sends them to the `vsb run --detach` that waits.
 */

/** A note (`-q` drops them). */
export function noteLine(line: string): string {
  return `vsb: note: ${line}\n`;
}

/** A start-up step's time (`--debug`, `VSB_TIMING`), in ms since the caller started. */
export function timingLine(ms: number, step: string): string {
  return `vsb: +${ms}ms ${step}\n`;
}

/** What is said once the sandbox runs: with `-v` (and not `-q`) where it runs; the `--shell` console to attach to. */
export function startedLines(config: SandboxConfig, running: RunningSandbox, options: { verbose?: boolean; quiet?: boolean }): string[] {
  const { plan } = running;
  const lines: string[] = [];
  if (options.verbose && !options.quiet) lines.push(noteLine(`sandbox ${config.name} on ${config.uri} (${plan.backend.id}, transport ${plan.transport.id})`));
  if (plan.shellConsole) lines.push(`vsb: debug shell: virsh -c ${config.uri} console ${config.name} ${plan.shellConsole.devname}\n`);
  return lines;
}
