// Private helper of kata 24's tests: one run of main.ts over input files the
// test made, in which the test makes two mappers die (one while it reads its
// file, one just before it reports it), watched until it ends or plainly
// stalls; and lookups into what the run showed.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  type KataProgram,
  type OutputLine,
  type ProcessRecord,
  type RunningProgram,
  type RunResult,
  tempDir,
} from "../../../harness/mod.ts";
import { fileName, writeInput } from "./input.ts";

export const MAPPERS = 3;
export const REDUCERS = 3;
/** The mappers the test makes die, through the markers words.ts honours. */
export const CRASHES = [
  { file: fileName(4), when: "read" },
  { file: fileName(9), when: "report" },
] as const;
/**
 * A run that has been silent this long (no line, no process started or
 * ended) while every process of it had loaded and none was a reducer is
 * waiting for ever: the test stops it. A correct run is silent for a unit
 * of time at most once its processes have loaded; loading (which can take
 * seconds on a busy machine) is told by the lines: main.ts's first, a
 * mapper's "ready" (from words.ts), and a reducer's only line, at its end.
 */
export const STALL_MS = 5000;
const POLL_MS = 100;

/** What the run showed. */
export interface JobRun {
  r: RunResult;
  workDir: string;
  /** Every word of the input and its count. */
  expected: Map<string, number>;
  /** Set when the test stopped a run that had stalled: when. */
  stalledAt: number | undefined;
}

/** Makes the input, runs main.ts over it with the crash markers set, and watches it. */
export async function jobRun(program: KataProgram): Promise<JobRun> {
  const inputDir = tempDir("kata24-input-");
  const workDir = tempDir("kata24-work-");
  const crashDir = tempDir("kata24-crash-");
  const expected = writeInput(inputDir);
  for (const c of CRASHES) writeFileSync(join(crashDir, `${c.when}-${c.file}`), "");
  const running = program.start("main.ts", {
    args: [inputDir, workDir, String(MAPPERS), String(REDUCERS)],
    env: { KATA_CRASH_DIR: crashDir },
  });
  const stalledAt = await watch(running);
  return { r: await running.result, workDir, expected, stalledAt };
}

/** Waits for the run's end; ends it (as its deadline would) if it stalls, and says when. */
async function watch(running: RunningProgram): Promise<number | undefined> {
  let ended = false;
  running.result.then(() => (ended = true), () => (ended = true));
  let last = "";
  let since = Date.now();
  while (!ended) {
    await sleep(POLL_MS);
    const records = running.tree.records();
    const now = `${running.lines.length}.${records.length}.${records.filter((p) => p.endedAt !== undefined).length}`;
    if (now !== last || !settled(running)) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since > STALL_MS && !ended) {
      const at = running.now();
      await running.expire();
      return at;
    }
  }
  return undefined;
}

/** Whether every process of the run has loaded, and none is a reducer (which says nothing until it ends). */
function settled(running: RunningProgram): boolean {
  const said = new Set(running.lines.flatMap((l) => /^(?:mapper|reducer) (\d+): /.exec(l.text)?.[1] ?? []).map(Number));
  if (!running.lines.some((l) => l.text.startsWith("main: "))) return false;
  return running.tree.alive().every((p) => {
    if (p.pid === running.pid) return true;
    const role = p.argv.find((a) => a.endsWith("/mapper.ts") || a.endsWith("/reducer.ts"));
    return role !== undefined && role.endsWith("/mapper.ts") && said.has(p.pid);
  });
}

/** The children of main.ts running `file` (mapper.ts or reducer.ts), in order of appearance. */
function childrenRunning(r: RunResult, file: string): ProcessRecord[] {
  return r.tree
    .filter((p) => p.ppid === r.pid && p.argv.some((a) => a.endsWith(`/${file}`)))
    .sort((a, b) => a.firstSeen - b.firstSeen);
}

export function mappersOf(r: RunResult): ProcessRecord[] {
  return childrenRunning(r, "mapper.ts");
}

export function reducersOf(r: RunResult): ProcessRecord[] {
  return childrenRunning(r, "reducer.ts");
}

/** The partition a reducer was started for: the argument after its work folder, as the kernel showed its argv. */
export function partitionOf(reducer: ProcessRecord): string {
  const i = reducer.argv.findIndex((a) => a.endsWith("/reducer.ts"));
  return reducer.argv[i + 2] ?? "?";
}

/** A mapper's line, from words.ts (given): what it did, to which file, in the order it printed it. */
export interface MapperLine {
  pid: number;
  event: "maps" | "mapped" | "dies";
  file: string;
  /** Its place among the run's lines: one process's lines keep their order on the shared pipe. */
  index: number;
  at: number;
}

const MAPPER_LINE = /^mapper (\d+): (maps|mapped|dies while it reads|dies before it reports) (\S+)$/;

export function mapperLines(lines: OutputLine[]): MapperLine[] {
  return lines.flatMap((l, index) => {
    const m = l.stream === "stdout" ? MAPPER_LINE.exec(l.text) : null;
    if (!m) return [];
    const event = m[2].startsWith("dies") ? "dies" : m[2] as "maps" | "mapped";
    return [{ pid: Number(m[1]), event, file: m[3], index, at: l.at }];
  });
}

/** main.ts's last line, once it has combined: `main: counted <n> words, ...`. */
export function combinedLine(r: RunResult): OutputLine | undefined {
  return r.lines.find((l) => l.stream === "stdout" && /^main: counted \d+ words/.test(l.text));
}

/** A JSON file of counts the program wrote into the work folder, or why it could not be read. */
export function readJson(workDir: string, name: string): Map<string, number> | string {
  let text: string;
  try {
    text = readFileSync(join(workDir, name), "utf8");
  } catch {
    return `there is no ${name} in the work folder`;
  }
  try {
    return new Map(Object.entries(JSON.parse(text) as Record<string, number>));
  } catch (err) {
    return `${name} is not valid JSON (${(err as Error).message})`;
  }
}
