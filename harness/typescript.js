// Lets this process import the project's .ts files, on any supported Node:
// Node 22.18 and later strip the types themselves; older Node loads them
// through tsx. Plain JavaScript, so that any Node can load it first.
//
// Used by the entry points that package.json's scripts and "bin" start, so
// that on a recent Node nothing runs through tsx: a file loaded through tsx in
// one process and natively in another gets two different source maps, and c8
// then mixes up their coverage.

import module from "node:module";
import { fileURLToPath } from "node:url";

/** Whether Node `version` (this one by default) strips TypeScript types by itself: 22.18 or later. */
export function nodeRunsTypeScript(version = process.versions.node) {
  const [major, minor] = version.split(".").map(Number);
  return major > 22 || (major === 22 && minor >= 18);
}

/** Where the compile cache is kept: inside node_modules, which git ignores and a fresh install empties. */
const COMPILE_CACHE_DIR = fileURLToPath(new URL("../node_modules/.cache/process-katas/compile", import.meta.url));

/**
 * Turns on Node's on-disk compile cache for this process and, through the
 * environment, for every process it starts (test runners, the katas' programs
 * and their children): a .ts module loaded before is neither stripped nor
 * compiled again, which makes a child start about three times cheaper. Not
 * under coverage, which the cache makes less precise (Node's documentation),
 * nor where the user set NODE_COMPILE_CACHE or NODE_DISABLE_COMPILE_CACHE.
 */
export function enableCompileCache(env = process.env) {
  if (env.NODE_V8_COVERAGE || env.NODE_DISABLE_COMPILE_CACHE) return;
  env.NODE_COMPILE_CACHE ||= COMPILE_CACHE_DIR;
  module.enableCompileCache?.(env.NODE_COMPILE_CACHE);
}

/** Makes `import("./x.ts")` work in this process. */
export async function enableTypeScript() {
  if (!nodeRunsTypeScript()) {
    await import("tsx");
    return;
  }
  enableCompileCache();
  // Type stripping says once per process that it is experimental (on Node 22
  // and 23): noise to a learner; the harness starts the katas' processes without it too.
  const emit = process.emitWarning;
  process.emitWarning = function (warning, ...rest) {
    const text = typeof warning === "string" ? warning : warning?.message ?? "";
    if (/type stripping/i.test(text)) return;
    return emit.call(process, warning, ...rest);
  };
}
