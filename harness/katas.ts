// Where the katas are and how to name one: by number (`2`, `02`) or by name
// (`join_timing`, `02_join_timing`).
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { KATAS, type KataInfo } from "../katas/info.ts";

/** The repository's root folder. */
export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
/**
 * Names a folder to use instead of the repository's katas/ and solutions/ (the
 * CLI's and the check's self-tests build such folders).
 */
export const ROOT_VAR = "KATA_ROOT";

/** A kata from the table, with its folders. */
export interface Kata extends KataInfo {
  /** The number, e.g. 2 for `02_join_timing`. */
  number: number;
  /** The learner's folder and the reference solution's folder. */
  learnerDir: string;
  solutionDir: string;
  /** The kata's test files (`*_test.ts`), absolute paths. */
  testFiles: string[];
}

const KATA_DIR = /^(\d\d)_[a-z0-9_]+$/;

/**
 * Every kata, in order of its number: each folder of katas/ named `NN_name`,
 * with its title and hint from the table in katas/info.ts (empty when the table
 * has no entry, which the check reports), plus table entries with no folder.
 */
export function allKatas(root: string = ROOT): Kata[] {
  const katasDir = join(root, "katas");
  const dirs = new Set(readdirSync(katasDir).filter((d) => KATA_DIR.test(d)));
  for (const k of KATAS) dirs.add(k.dir);
  return [...dirs].sort().map((dir) => {
    const info = KATAS.find((k) => k.dir === dir) ?? { dir, title: dir, hint: "" };
    const learnerDir = join(katasDir, dir);
    const testFiles = existsSync(learnerDir)
      ? readdirSync(learnerDir).filter((f) => f.endsWith("_test.ts")).sort().map((f) => join(learnerDir, f))
      : [];
    return {
      ...info,
      number: Number(dir.slice(0, dir.indexOf("_"))),
      learnerDir,
      solutionDir: join(root, "solutions", dir),
      testFiles,
    };
  });
}

/** The kata a learner named, or a RangeError that lists the valid names. */
export function findKata(name: string, katas: Kata[] = allKatas()): Kata {
  const wanted = name.trim().toLowerCase();
  const found = katas.find((k) =>
    (/^\d+$/.test(wanted) && k.number === Number(wanted)) ||
    k.dir === wanted || k.dir.slice(k.dir.indexOf("_") + 1) === wanted
  );
  if (found) return found;
  const valid = katas.map((k) => `  ${k.dir}`).join("\n");
  throw new RangeError(`No kata is called "${name}". Name one by number or name:\n${valid}`);
}

/**
 * The program files of a kata folder: its .ts files that are neither tests
 * (`*_test.ts`) nor private test helpers (`_*.ts`).
 */
export function programFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith("_test.ts") && !f.startsWith("_"))
    .sort();
}
