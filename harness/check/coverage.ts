// `npm run coverage`: the suite under c8, counting code that ran only in child
// processes. The reference solutions run from folders the harness builds (the
// given files of katas/ with the changed files of solutions/ over them), so
// before c8 reports, each such copy's coverage is put back on the repository's
// file it was copied from. Mistakes' copies are left out: they are not the code.
//
//   npm run coverage [-- args for the check]
//
// The suite is `npm test`, on the `node` first on PATH: CI puts Node 26 there.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "../katas.ts";

const C8 = join(ROOT, "node_modules", "c8", "bin", "c8.js");
const TEMP = join(ROOT, "coverage", "tmp");
/** A copy's file: a folder the harness made (`kata-report-*`, `kata-target-*`), the kata's folder, the file. */
const COPY = /file:\/\/\/[^"]*?\/kata-(?:report|target)-[^/"]+\/(\d\d_[a-z0-9_]+)\/([a-z0-9_]+\.ts)/g;

/** The repository's file a copy stands for: the solution's version if it has one, else the kata's. */
function origin(kata: string, file: string): string | undefined {
  for (const side of ["solutions", "katas"]) {
    const path = join(ROOT, side, kata, file);
    if (existsSync(path)) return pathToFileURL(path).href;
  }
  return undefined;
}

/** Rewrites every coverage file of `dir` so that copies count as their originals; the count of files changed. */
function remapCopies(dir: string): number {
  let changed = 0;
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    const path = join(dir, name);
    const text = readFileSync(path, "utf8");
    const mapped = text.replace(COPY, (url, kata: string, file: string) => origin(kata, file) ?? url);
    if (mapped === text) continue;
    writeFileSync(path, mapped);
    changed++;
  }
  return changed;
}

function c8(args: string[]): number {
  return spawnSync(process.execPath, [C8, ...args], { cwd: ROOT, stdio: "inherit" }).status ?? 1;
}

function main(): number {
  const args = process.argv.slice(2).filter((a) => a !== "--");
  const suite = c8(["--reporter=none", "--check-coverage=false", "npm", "test", "--", ...args]);
  const changed = existsSync(TEMP) ? remapCopies(TEMP) : 0;
  console.log(`coverage: ${changed} coverage files mapped from the harness's copies back to katas/ and solutions/`);
  const report = c8(["report"]);
  return suite !== 0 ? suite : report;
}

process.exitCode = main();
