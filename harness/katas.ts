// The katas of a root folder, discovered from its katas/ folder at run time: a
// kata is a folder `katas/NN_name/`, its title is its README's heading and its
// hint is its README's "Hint" section. Nothing here imports the katas' code.
//
//   const kata = findKata("02", allKatas(root));
//   kata.title; // "Join, and what it does to timing"
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root folder. */
export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
/**
 * Names a folder to use instead of the repository's katas/ and solutions/ (the
 * CLI's and the check's self-tests build such folders).
 */
export const ROOT_VAR = "KATA_ROOT";
/** The folder in a kata that holds what its tests need and the learner does not. */
export const SUPPORT_DIR = "_support";
/** The folder in a solution that holds the kata's plausible mistakes, one patch each. */
export const MISTAKES_DIR = "mistakes";
/** The marker at each place a learner must change. */
export const TODO = "// TODO:";

/** A kata, with its folders. */
export interface Kata {
  /** The folder under katas/ and solutions/, e.g. `02_join_timing`. */
  dir: string;
  /** The number, e.g. 2 for `02_join_timing`. */
  number: number;
  /** The name without its number, e.g. `join_timing`. */
  name: string;
  /** From the README's first heading, `# 02 · <title>`; the folder name when there is none. */
  title: string;
  /** From the README's "## Hint" section; empty when there is none. */
  hint: string;
  /** The learner's folder and the reference solution's folder. */
  learnerDir: string;
  solutionDir: string;
  /** The kata's test files (`*_test.ts`), absolute paths. */
  testFiles: string[];
}

const KATA_DIR = /^(\d\d)_([a-z0-9_]+)$/;
const HEADING = /^# \d+ · (.+)$/;
const HINT_HEADING = /^## Hint\s*$/;
/** Lines of the Hint section that are markup, not hint: the collapsible block around it. */
const HINT_MARKUP = /^\s*(<\/?details>|<summary>.*<\/summary>)\s*$/;

/** Every kata of `root`, in order of its number: each folder of katas/ named `NN_name`. */
export function allKatas(root: string = ROOT): Kata[] {
  const katasDir = join(root, "katas");
  if (!existsSync(katasDir)) return [];
  return readdirSync(katasDir)
    .filter((d) => KATA_DIR.test(d) && statSync(join(katasDir, d)).isDirectory())
    .sort()
    .map((dir) => kataAt(root, dir));
}

/** The kata in `katas/<dir>/` of `root`. */
export function kataAt(root: string, dir: string): Kata {
  const learnerDir = join(root, "katas", dir);
  const readme = readText(join(learnerDir, "README.md")) ?? "";
  const match = KATA_DIR.exec(dir);
  return {
    dir,
    number: Number(match?.[1] ?? NaN),
    name: match?.[2] ?? dir,
    title: titleOf(readme) ?? dir,
    hint: hintOf(readme),
    learnerDir,
    solutionDir: join(root, "solutions", dir),
    testFiles: readdirSync(learnerDir).filter((f) => f.endsWith("_test.ts")).sort().map((f) => join(learnerDir, f)),
  };
}

/** The title in a README's first line, `# 02 · Join, and what it does to timing`. */
export function titleOf(readme: string): string | undefined {
  return HEADING.exec(readme.split("\n", 1)[0])?.[1].trim();
}

/** The text of a README's "## Hint" section, without the collapsible block's markup. */
export function hintOf(readme: string): string {
  const lines = readme.split("\n");
  const start = lines.findIndex((l) => HINT_HEADING.test(l));
  if (start < 0) return "";
  const end = lines.findIndex((l, i) => i > start && /^#{1,2} /.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end).filter((l) => !HINT_MARKUP.test(l)).join("\n").trim();
}

/** The kata a learner named, or a RangeError that lists the valid names. */
export function findKata(name: string, katas: Kata[] = allKatas()): Kata {
  const wanted = name.trim().toLowerCase();
  const found = katas.find((k) =>
    (/^\d+$/.test(wanted) && k.number === Number(wanted)) || k.dir === wanted || k.name === wanted
  );
  if (found) return found;
  const valid = katas.map((k) => `  ${k.dir}`).join("\n");
  throw new RangeError(`No kata is called "${name}". Name one by number or name:\n${valid}`);
}

/** The program files of a kata folder: its .ts files that are not tests (`*_test.ts`). */
export function programFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith("_test.ts"))
    .map((e) => e.name)
    .sort();
}

/** The files a learner changes: the program files the reference solution gives its own version of. */
export function solvedFiles(kata: Kata): string[] {
  return programFiles(kata.solutionDir);
}

/** The files given whole: the kata's program files that the solution does not change. */
export function givenFiles(kata: Kata): string[] {
  const solved = new Set(solvedFiles(kata));
  return programFiles(kata.learnerDir).filter((f) => !solved.has(f));
}

/** The text of a file, or undefined when it cannot be read. */
export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** The comments around the kata table in the root README, which is made from the katas. */
export const TABLE_START = "<!-- katas: made by `npm run new-kata -- --table` from each kata's README; do not edit -->";
export const TABLE_END = "<!-- /katas -->";

/** The root README's table of katas: number, and title linked to the kata's README. */
export function kataTable(katas: Kata[]): string {
  const rows = katas.map((k) => `| ${String(k.number).padStart(2, "0")} | [${k.title}](katas/${k.dir}/README.md) |`);
  return ["| # | kata |", "|---|---|", ...rows].join("\n");
}

/** `readme` with the text between the table's comments replaced by `table`; undefined without the comments. */
export function withKataTable(readme: string, table: string): string | undefined {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) return undefined;
  return `${readme.slice(0, start + TABLE_START.length)}\n${table}\n${readme.slice(end)}`;
}
