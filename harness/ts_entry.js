#!/usr/bin/env node
// Runs one of the project's .ts entry points on any supported Node, natively
// where Node can (see typescript.js); package.json's scripts start them so:
//
//   node harness/ts_entry.js harness/check/mod.ts --self
//
// The entry point sees its own path as process.argv[1], and its arguments after it.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { enableTypeScript } from "./typescript.js";

const entry = process.argv[2];
if (!entry || !entry.endsWith(".ts")) {
  console.error("usage: node harness/ts_entry.js <file.ts> [arguments]");
  process.exit(2);
}
await enableTypeScript();
const path = resolve(entry);
process.argv.splice(1, 2, path);
await import(pathToFileURL(path).href);
