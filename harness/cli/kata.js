#!/usr/bin/env node
// The `kata` command (package.json "bin"): `npx kata list` runs this project's
// CLI, never a package of that name from the registry. It is plain JavaScript
// so that any supported Node can start it: Node 22.18 and later load the CLI's
// .ts files themselves; older Node loads them through tsx.
const [major, minor] = process.versions.node.split(".").map(Number);
const native = major > 22 || (major === 22 && minor >= 18);

if (native) {
  // Type stripping says once per process that it is experimental (on Node 22 and 23):
  // noise to a learner; the harness starts the katas' processes without it too.
  const emit = process.emitWarning;
  process.emitWarning = function (warning, ...rest) {
    const text = typeof warning === "string" ? warning : warning?.message ?? "";
    if (/type stripping/i.test(text)) return;
    return emit.call(process, warning, ...rest);
  };
} else {
  await import("tsx");
}
await import("./mod.ts");
