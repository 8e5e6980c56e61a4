import type { DependencyContainer } from 'tsyringe';
import { BackendRegistry, SandboxError } from '@vsb/core';
import type { SandboxConfig } from '@vsb/core';
import { RunRecorder } from './run-recorder';

/** `vsb run --record FILE` / `--record-fd N`: the recorder of this run, or undefined without either flag. */
export function openRecorder(flags: { record?: string; 'record-fd'?: number }, config: SandboxConfig, container: DependencyContainer): RunRecorder | undefined {
  if (flags.record === undefined && flags['record-fd'] === undefined) return undefined;
  let backend: string | null = null;
  try {
    backend = new BackendRegistry(container).forUri(config.uri).id;
  } catch {
    // No backend claims the URI: the start fails with that error, and the record says so.
  }
  return RunRecorder.open(
    { file: flags.record, fd: flags['record-fd'] },
    { name: config.name, uri: config.uri, backend, command: config.command },
    (message) => new SandboxError('VSB_USAGE', message),
  );
}
