import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';

/** Modules a plugin must share with vsb: one @vsb/core (`instanceof SandboxError`), one tsyringe (its registrations), one reflect-metadata. */
const SHARED = /^(@vsb\/[^/]+|tsyringe|reflect-metadata)(\/.*)?$/;

const pluginRoots: string[] = [];
let installed = false;

type ResolveFilename = (request: string, parent: NodeJS.Module | undefined, isMain: boolean, options?: unknown) => string;

/**
 * Makes `require` of `@vsb/*`, `tsyringe` and `reflect-metadata` in the files under `root` (an
 * installed plugin) resolve to vsb's own copies, whatever the plugin's node_modules holds: a
 * plugin installed from a tarball has none (they are optional peer dependencies), and one that
 * brought its own copies would otherwise get a second tsyringe and a second SandboxError class.
 * Other modules resolve as Node always does. Installed once per process, for every plugin root.
 */
export function shareHostModules(root: string): void {
  pluginRoots.push(fs.realpathSync(root) + path.sep);
  if (installed) return;
  installed = true;
  const internals = Module as unknown as { _resolveFilename: ResolveFilename };
  const original = internals._resolveFilename;
  internals._resolveFilename = function resolveShared(request, parent, isMain, options) {
    const from = parent?.filename;
    // vsb's own resolution (in the bundle, `require` is dist/vsb.js's).
    if (from && SHARED.test(request) && pluginRoots.some((r) => from.startsWith(r))) return require.resolve(request);
    return original.call(this, request, parent, isMain, options);
  };
}
