// Kata 24: what main.ts, the mappers and the reducers agree on (given complete):
// their messages, where each writes its output, and how counts are written and
// read. Every file is written whole (a temporary file, then a rename), so that
// no reader ever opens half of one.
import { readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** main.ts to a mapper: map this input file (its path). */
export interface MapTask {
  file: string;
}

/** A mapper to main.ts: this file is mapped, and its output is written whole. */
export interface Mapped {
  file: string;
}

/** Word counts: each word, and how many times it occurs. */
export type Counts = Map<string, number>;

/** The file in which a mapper leaves partition `r` of its output, under `name` (for instance the input file's name). */
export function partPath(workDir: string, name: string, r: number): string {
  return join(workDir, `${name}.part-${r}.json`);
}

/** Every mapper output of partition `r` in the work folder: what reducer `r` reads. */
export function partFiles(workDir: string, r: number): string[] {
  const suffix = `.part-${r}.json`;
  return readdirSync(workDir).filter((name) => name.endsWith(suffix)).sort().map((name) => join(workDir, name));
}

/** Where reducer `r` writes its counts: every word of partition `r`, with its total. */
export function reducedPath(workDir: string, r: number): string {
  return join(workDir, `reduced-${r}.json`);
}

/** Where main.ts writes the combined counts of every file. */
export function countsPath(workDir: string): string {
  return join(workDir, "counts.json");
}

/** Writes `counts` to `path` as a JSON object, whole: into a temporary file, then renamed over `path`. */
export function writeCounts(path: string, counts: Counts): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(Object.fromEntries(counts)));
  renameSync(temporary, path);
}

/** Reads counts written by {@link writeCounts}. */
export function readCounts(path: string): Counts {
  return new Map(Object.entries(JSON.parse(readFileSync(path, "utf8")) as Record<string, number>));
}
