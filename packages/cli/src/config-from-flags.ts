import fs from 'node:fs';
import crypto from 'node:crypto';
import {
  checkDisks,
  checkHostPath,
  checkImagesOnce,
  defaultWorkdir,
  optionError,
  parseGuestPath,
  checkIncludes,
  checkMounts,
  homeAndTmpMounts,
  DEFAULT_MEMORY_BYTES,
  DEFAULT_URI,
  invokingIdentity,
  lookupIdentity,
  parseDisk,
  parseEnv,
  parseEnvFile,
  parseInclude,
  parseIncludeFile,
  parseMemory,
  parseMount,
  parseName,
  parseNetwork,
  parsePids,
  parseSecurity,
  parseVcpus,
  privilegedIdentity,
  quoteValue,
  SandboxError,
} from '@vsb/core';
import type { Identity, IncludeSpec, KernelSpec, MountSpec, SandboxConfig } from '@vsb/core';
import { defaultEnv, rawEnv } from './raw-env';
import type { RunFlags } from './run-flags';
import type { TerminalMode } from './terminal-mode';

/** A fresh default name: two runs never collide (the original's fixed 'sandbox' did). */
export function randomName(): string {
  return `vsb-${crypto.randomBytes(5).toString('hex')}`;
}

/**
 * Validates every flag and builds the sandbox's config; every mistake is a one-line SandboxError
 * naming the flag, raised before anything is started.
 */
export function configFromFlags(flags: RunFlags, command: readonly string[], terminal: TerminalMode): SandboxConfig {
  if (command.length === 0) throw new SandboxError('VSB_USAGE', 'missing command: put it after --, e.g. vsb run -- /bin/sh');
  if (command[0] === '') throw new SandboxError('VSB_USAGE', `the command is an empty string ('' after --): name a program, e.g. vsb run -- /bin/sh`);
  if (flags.switchto === '') throw new SandboxError('VSB_BAD_USER', `--switchto '': missing user name (e.g. -S nobody)`);
  if (flags.quiet && flags.verbose) throw new SandboxError('VSB_USAGE', '--quiet and --verbose cannot be used together');
  if (flags.privileged && flags.switchto !== undefined) throw new SandboxError('VSB_USAGE', '--privileged and --switchto cannot be used together');
  const root = flags.root ?? '/';
  if (!root.startsWith('/')) throw new SandboxError('VSB_USAGE', `--root '${root}': must be an absolute path`);
  if (!isDirectory(root)) throw new SandboxError('VSB_USAGE', `--root '${root}': no such directory`);
  let identity: Identity = invokingIdentity();
  if (flags.privileged) identity = privilegedIdentity();
  else if (flags.switchto !== undefined) identity = lookupIdentity(flags.switchto);
  const given = (flags.mount ?? []).map(parseMount);
  checkMounts(given);
  const homeAndTmp = { tempHome: flags['mount-temp-home'], homedir: flags.homedir, tmpdir: flags.tmpdir };
  const mounts = [...given, ...homeAndTmpMounts(homeAndTmp, identity.home, given)];
  const includes: IncludeSpec[] = [
    ...(flags.include ?? []).map(parseInclude),
    ...(flags.includefile ?? []).flatMap((file) => parseIncludeFile(readListFile(file, '--includefile', 'one GUEST[=HOST] a line'), file)),
  ];
  checkIncludes(includes, mounts);
  const disks = (flags.disk ?? []).map(parseDisk);
  checkDisks(disks);
  checkImagesOnce(mounts, disks);
  const kernel = kernelFromFlags(flags);
  const workdir = workdirFromFlags(flags, root, mounts);
  return {
    name: flags.name !== undefined ? parseName(flags.name) : randomName(),
    uri: flags.connect ?? DEFAULT_URI,
    root,
    identity,
    memoryBytes: flags.memory !== undefined ? parseMemory(flags.memory) : DEFAULT_MEMORY_BYTES,
    vcpus: flags.vcpus !== undefined ? parseVcpus(flags.vcpus) : 1,
    ...(flags.pids !== undefined && { pids: parsePids(flags.pids) }),
    mounts,
    includes,
    networks: (flags.network ?? []).map(parseNetwork),
    disks,
    env: envFromFlags(flags),
    security: flags.security !== undefined ? parseSecurity(flags.security) : undefined,
    ...(workdir && { workdir }),
    command,
    tty: terminal.tty,
    splitStderr: terminal.splitStderr,
    shell: flags.shell ?? false,
    debug: flags.debug ?? false,
    // On unless turned off one by one: --privileged widens capabilities, not these.
    seccomp: flags.seccomp ?? true,
    landlock: flags.landlock ?? true,
    transport: flags.transport,
    ...(kernel && { kernel }),
  };
}

/** The caller's locale and time zone, then `--env-file`s, then `-e`s: a later KEY wins (in the init). */
function envFromFlags(flags: RunFlags): Array<[string, string]> {
  const caller = rawEnv();
  return [
    ...defaultEnv(caller),
    ...(flags['env-file'] ?? []).flatMap((file) => parseEnvFile(readListFile(file, '--env-file', 'one KEY=VALUE or KEY a line'), file, caller)),
    ...(flags.env ?? []).flatMap((text): Array<[string, string]> => {
      const entry = parseEnv(text, caller);
      return entry ? [entry] : [];
    }),
  ];
}

/** `-w DIR` (strict), else the caller's working directory when the sandbox sees it. */
function workdirFromFlags(flags: RunFlags, root: string, mounts: readonly MountSpec[]): SandboxConfig['workdir'] {
  if (flags.workdir !== undefined)
    return { dir: parseGuestPath(flags.workdir, 'directory', optionError('VSB_USAGE', '--workdir', flags.workdir)), strict: true };
  let cwd: string | undefined;
  try {
    cwd = process.cwd();
  } catch {
    // Deleted under us: start in $HOME.
  }
  const dir = defaultWorkdir(cwd, root, mounts);
  return dir === undefined ? undefined : { dir, strict: false };
}

/** `--kernver/--kernpath/--kmodpath`: checked for form here; whether they exist is the backend's call. */
function kernelFromFlags(flags: RunFlags): KernelSpec | undefined {
  const bad = (message: string) => new SandboxError('VSB_USAGE', message);
  if (flags.kernver !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._+~-]*$/.test(flags.kernver)) {
    throw bad(`--kernver '${flags.kernver}': not a kernel release (e.g. 6.1.0-57-amd64)`);
  }
  const image = flags.kernpath === undefined ? undefined : checkHostPath(flags.kernpath, '--kernpath', bad);
  const modules = flags.kmodpath === undefined ? undefined : checkHostPath(flags.kmodpath, '--kmodpath', bad);
  if (flags.kernver === undefined && image === undefined && modules === undefined) return undefined;
  return { version: flags.kernver, image, modules };
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Largest `--includefile` or `--env-file` read: a list, not data (`-I /dev/zero` used to fill memory). */
const LIST_FILE_MAX = 1024 * 1024;

/** Reads a list file given to FLAG: a regular file of at most 1 MiB; `what` says what its lines hold. */
function readListFile(file: string, flag: '--includefile' | '--env-file', what: string): string {
  const bad = (problem: string) => new SandboxError(flag === '--env-file' ? 'VSB_BAD_ENV' : 'VSB_BAD_INCLUDE', `${flag} ${quoteValue(file)}: ${problem}`);
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (err) {
    throw bad((err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw bad(`is ${st.isDirectory() ? 'a directory' : 'not a regular file'}; give a file of ${what}`);
    if (st.size > LIST_FILE_MAX) throw bad(`is ${st.size} bytes; a list file may have at most ${LIST_FILE_MAX} (1 MiB)`);
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}
