// Type-checks program folders outside the project (the mistakes, each patched
// over a copy of its solution) in one run of the project's own tsc, with the
// project's compiler options, and hands back each folder's errors.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { cleanUpOnExit } from "../_exit_cleanup.ts";
import { type Kata, ROOT } from "../katas.ts";
import { buildTarget, mistakeFiles } from "../target.ts";

const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");
const TSC_DEADLINE_MS = 120_000;

/**
 * The type errors of each folder under `base` (whose names are `folders`), as
 * tsc prints them, by folder; a folder without errors is absent.
 */
export function typeCheck(base: string, folders: string[]): Promise<Map<string, string[]>> {
  const config = {
    extends: join(ROOT, "tsconfig.json"),
    compilerOptions: { typeRoots: [join(ROOT, "node_modules", "@types")], noEmit: true },
    include: folders.map((f) => `${f}/**/*.ts`),
    exclude: folders.map((f) => `${f}/**/*_test.ts`),
  };
  writeFileSync(join(base, "tsconfig.json"), JSON.stringify(config, null, 2));
  return new Promise((resolve) => {
    execFile(process.execPath, [TSC, "-p", join(base, "tsconfig.json"), "--pretty", "false"],
      { cwd: base, timeout: TSC_DEADLINE_MS, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        const errors = new Map<string, string[]>();
        const lines = `${stdout}\n${stderr}`.split("\n").filter((l) => l.trim() !== "");
        // A message's continuation lines are indented under the line that names the file.
        let key = "";
        for (const line of lines) {
          if (!/^\s/.test(line)) key = folders.find((f) => line.startsWith(`${f}/`)) ?? "";
          errors.set(key, [...(errors.get(key) ?? []), line]);
        }
        // tsc failing with nothing to show for a folder (it could not run) is an error of all.
        if (err && errors.size === 0) errors.set("", [`tsc could not run: ${err.message}`]);
        resolve(errors);
      });
  });
}

/**
 * Type errors of every mistake of `katas`, each patched over its solution,
 * keyed `<kata>/<mistake>`. A patch that does not apply is left to the check
 * of mistakes to report.
 */
export async function typeCheckMistakes(katas: Kata[]): Promise<Map<string, string[]>> {
  const base = mkdtempSync(join(tmpdir(), "kata-typecheck-"));
  const forget = cleanUpOnExit(() => rmSync(base, { recursive: true, force: true }));
  try {
    const folders: string[] = [];
    for (const k of katas) {
      for (const path of mistakeFiles(k.solutionDir)) {
        const folder = `${k.dir}/${basename(path, ".patch")}`;
        try {
          buildTarget(join(base, folder), { kataDir: k.learnerDir, solutionDir: k.solutionDir, mistake: path });
          folders.push(folder);
        } catch {
          // Reported when the mistake is run.
        }
      }
    }
    return folders.length === 0 ? new Map() : await typeCheck(base, folders);
  } finally {
    forget();
    rmSync(base, { recursive: true, force: true });
  }
}
