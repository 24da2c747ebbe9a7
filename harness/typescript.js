// Lets this process import the project's .ts files, on any supported Node:
// Node 22.18 and later strip the types themselves; older Node loads them
// through tsx. Plain JavaScript, so that any Node can load it first.
//
// Used by the entry points that package.json's scripts and "bin" start, so
// that on a recent Node nothing runs through tsx: a file loaded through tsx in
// one process and natively in another gets two different source maps, and c8
// then mixes up their coverage.

/** Whether this Node strips TypeScript types by itself (>= 22.18). */
export function nodeRunsTypeScript() {
  const [major, minor] = process.versions.node.split(".").map(Number);
  return major > 22 || (major === 22 && minor >= 18);
}

/** Makes `import("./x.ts")` work in this process. */
export async function enableTypeScript() {
  if (!nodeRunsTypeScript()) {
    await import("tsx");
    return;
  }
  // Type stripping says once per process that it is experimental (on Node 22
  // and 23): noise to a learner; the harness starts the katas' processes without it too.
  const emit = process.emitWarning;
  process.emitWarning = function (warning, ...rest) {
    const text = typeof warning === "string" ? warning : warning?.message ?? "";
    if (/type stripping/i.test(text)) return;
    return emit.call(process, warning, ...rest);
  };
}
