#!/usr/bin/env node
// The `kata` command (package.json "bin"): `npx kata list` runs this project's
// CLI, never a package of that name from the registry. It is plain JavaScript
// so that any supported Node can start it: Node 22.18 and later load the CLI's
// .ts files themselves; older Node loads them through tsx.
import { enableTypeScript } from "../typescript.js";

await enableTypeScript();
await import("./mod.ts");
