// The program a kata's tests run, put together in a folder of its own: the
// kata's files as given, with the reference solution's files over them, and
// a mistake's patch over those. Given files exist once, in katas/; solutions/
// holds only the files a learner changes.
//
//   const dir = mkdtempSync(join(tmpdir(), "kata-target-"));
//   buildTarget(dir, { kataDir, solutionDir, mistake: "solutions/06_ticket_race/mistakes/x.patch" });
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { MISTAKES_DIR, programFiles, SUPPORT_DIR } from "./katas.ts";
import { applyFilePatch, type Mistake, parseMistake, PatchError } from "./patch.ts";

/** What goes into a target folder. */
export interface TargetSpec {
  /** The kata's folder under katas/: its files as given (tests, README and support left out). */
  kataDir: string;
  /** The solution's folder: its program files replace the kata's. */
  solutionDir?: string;
  /** A mistake's patch file, applied over the solution. */
  mistake?: string;
}

/** Files of a kata folder that are no part of its program. */
function isProgramPart(name: string): boolean {
  return !name.endsWith("_test.ts") && name !== "README.md" && name !== SUPPORT_DIR && !name.startsWith(".");
}

/**
 * Fills `into` (an empty folder) with the program the spec names; returns the
 * mistake when there is one. Throws a {@link PatchError} when the patch cannot
 * be read or no longer applies, naming the hunk.
 */
export function buildTarget(into: string, spec: TargetSpec): Mistake | undefined {
  mkdirSync(into, { recursive: true });
  for (const entry of readdirSync(spec.kataDir, { withFileTypes: true })) {
    if (entry.isFile() && isProgramPart(entry.name)) copyFileSync(join(spec.kataDir, entry.name), join(into, entry.name));
  }
  if (spec.solutionDir) {
    for (const f of programFiles(spec.solutionDir)) copyFileSync(join(spec.solutionDir, f), join(into, f));
  }
  // Outside the repository, a folder needs this to load .ts files as ES modules.
  writeFileSync(join(into, "package.json"), '{ "type": "module" }\n');
  if (!spec.mistake) return undefined;
  const mistake = parseMistake(basename(spec.mistake, ".patch"), readFileSync(spec.mistake, "utf8"));
  for (const file of mistake.files) {
    const path = join(into, file.path);
    if (!existsSync(path)) throw new PatchError(`${mistake.name}: it changes ${file.path}, which the program does not have`);
    writeFileSync(path, applyFilePatch(readFileSync(path, "utf8"), file, mistake.name));
  }
  return mistake;
}

/** The mistake files of a solution folder, sorted (absolute paths). */
export function mistakeFiles(solutionDir: string): string[] {
  const dir = join(solutionDir, MISTAKES_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith(".patch")).sort().map((f) => join(dir, f));
}
