// What a kata's test file uses: a uvu suite whose tests record their outcome for
// the check and the CLI, and the learner's program (or the reference solution).
import { appendFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import { assertFinished, assertNothingLeft, crashOf, describeDeadline } from "./checks.ts";
import { MISTAKES_DIR } from "./katas.ts";
import { type RunningProgram, type RunOptions, type RunResult, start } from "./run.ts";
import { buildTarget } from "./target.ts";
import { tempDir } from "./temp_dir.ts";
import { type RunTrace, traceOf } from "./timeline.ts";
import { type Failure, fail, KataCheckError } from "./timing.ts";

/** Which files a kata's tests run: the learner's (katas/) or the reference (solutions/). */
export const TARGET_VAR = "KATA_TARGET";
/** A folder that holds the whole program to test instead (the check and the CLI build one). */
export const TARGET_DIR_VAR = "KATA_TARGET_DIR";
/** With KATA_TARGET=solution, a mistake to apply over it: its name or its patch file. */
export const MISTAKE_VAR = "KATA_MISTAKE";
/** Where tests append one JSON line per finished test (read by the check and the CLI). */
export const REPORT_VAR = "KATA_REPORT";
/** Beside the report, a file that holds the name of the test now running (read if the runner is killed). */
export const CURRENT_TEST_SUFFIX = ".current";

/** Options of {@link kataSuite}: defaults for every run of the kata. */
export interface KataOptions {
  /** The time unit handed to programs (KATA_UNIT_MS), in ms. */
  unitMs?: number;
  /** The deadline of each run, in ms. */
  deadlineMs?: number;
  /** How long children may outlive the program before they count as left behind. */
  graceMs?: number;
}

/** Options of {@link KataProgram.start}. */
export interface KataStartOptions extends RunOptions {
  /**
   * The test expects the program, or one of its children, to die of an
   * uncaught error (or out of memory): do not make that the test's failure.
   * By default such a crash fails the test first, with the error as its first
   * words, and so does a child that could not load its file. A program that
   * could not start at all (a syntax error) fails the test in any case.
   */
  expectCrash?: boolean;
}

/** Options of {@link KataProgram.run}. */
export interface KataRunOptions extends KataStartOptions {
  /**
   * Do not fail when the program times out or exits non-zero. A program that
   * could not start, or crashed, still fails first (see `expectCrash`).
   */
  allowFailure?: boolean;
  /** Do not fail when processes outlive the program (they are killed all the same). */
  allowLeftovers?: boolean;
  /**
   * Called with the running program as soon as it has started: to watch it
   * while it runs, and end it early with expire() once the test has seen
   * enough (a stall that only the deadline would end otherwise).
   */
  watch?: (running: RunningProgram) => void;
}

/** The program under test, from the learner's folder or from solutions/. */
export interface KataProgram {
  /** "learner" or "solution". */
  target: "learner" | "solution";
  /** The absolute path of a file of the program. */
  path(file: string): string;
  /**
   * Runs a file to the end; fails the test if it could not start, crashed,
   * hung, failed or left processes behind.
   */
  run(file: string, options?: KataRunOptions): Promise<RunResult>;
  /**
   * Starts a file and hands back control while it runs. If it could not start
   * or crashed, `waitForLine` fails with that error rather than the missing line.
   */
  start(file: string, options?: KataStartOptions): RunningProgram;
  /** The unit of time in ms the kata's programs are given. */
  unitMs: number;
}

/** One line of the report file: a test's outcome. */
export interface TestReport {
  kata: string;
  test: string;
  ok: boolean;
  /** ms since the test process started, when the test began and ended. */
  startMs: number;
  endMs: number;
  /** Why it failed: the error's name and message, and for a failed check its kind and numbers. */
  error?: { name: string; message: string } & Partial<Failure>;
  /** Traces of the runs that ended since the previous report (each run is reported once). */
  runs?: RunTrace[];
  /** Ids of the runs this test used, its own or shared through once(), in the order it got them. */
  used?: string[];
}

// What the test now running used, and the traces not yet reported; uvu runs tests one at a time.
let using: Set<string> | undefined;
const unreported: RunTrace[] = [];
/** Runs that crashed unexpectedly or hit their deadline, by id: a test that used one says so in its lesson. */
const troubled = new Map<string, RunResult>();

/** Notes the runs in `value` (a RunResult, or an array or object holding some) as used. */
function noteUse(value: unknown, by: Set<string> | undefined): void {
  if (!by || typeof value !== "object" || value === null) return;
  if ("runId" in value && "tree" in value) by.add(String(value.runId));
  else for (const v of Object.values(value)) if (isRun(v)) by.add(v.runId);
}

function isRun(v: unknown): v is RunResult {
  return typeof v === "object" && v !== null && "runId" in v && "tree" in v;
}

/** Starts a run and keeps its trace for the report of the test it ends in. */
function traced(file: string, options: KataStartOptions): RunningProgram {
  const running = start(file, options);
  const by = using;
  let ended: RunResult | undefined;
  running.result.then((r) => {
    ended = r;
    unreported.push(traceOf(r));
    noteUse(r, by);
    if (hung(r) || (!options.expectCrash && crashOf(r, { children: "all" }))) troubled.set(r.runId, r);
  });
  const waitForLine = running.waitForLine;
  return {
    ...running,
    // A line that never came because the program could not start or crashed: say that instead.
    waitForLine: async (pattern, waitOptions) => {
      try {
        return await waitForLine(pattern, waitOptions);
      } catch (err) {
        const crash = ended && crashOf(ended, { children: options.expectCrash ? "load" : "all" });
        if (crash && (!options.expectCrash || crash.kind === "start")) fail(crash.message, { kind: crash.kind });
        throw err;
      }
    },
  };
}

/** Whether a run was still going at its deadline, which the test did not end early itself (expire()). */
function hung(r: RunResult): boolean {
  return r.timedOut && !r.expired;
}

/** Whether a run could not start at all (then even a test that expects a crash fails). */
function couldNotStart(r: RunResult): boolean {
  return crashOf(r)?.kind === "start";
}

/**
 * The error a failed test throws, with what its runs tell first: a crash of
 * any of its processes (quoted before the check's own guess), or a run that
 * hung until its deadline (what each process was doing then); the check's own
 * lesson comes after either.
 */
function withRunNews(e: Error, used: Set<string>): Error {
  const failure = e instanceof KataCheckError ? e.failure : undefined;
  if (failure && (failure.kind === "start" || failure.kind === "crash" || failure.kind === "deadline")) return e;
  const runs = [...used].flatMap((id) => troubled.get(id) ?? []);
  const crash = runs.map((r) => crashOf(r, { children: "all" })).find((c) => c !== undefined);
  const stuck = runs.find(hung);
  // A test's own error (not a failed check) is left as it is, unless a crash explains it.
  if (!crash && (!stuck || !failure)) return e;
  const own = failure?.message ?? e.message;
  const hang = stuck && `The run did not end by itself: ${describeDeadline(stuck)}`;
  // A crash explains a hang too (a parent left waiting for a child that died), so it comes first.
  const parts = crash
    ? [crash.message, `Then the check failed:\n${own}`, ...(hang ? [hang] : [])]
    : [hang!, `Then the check failed:\n${own}`];
  return new KataCheckError(parts.join("\n"), crash?.kind ?? "deadline", failure?.intervals);
}

/** The kata folder's name (e.g. `02_join_timing`) from a test file's URL. */
export function kataName(testUrl: string): string {
  return basename(dirname(fileURLToPath(testUrl)));
}

/**
 * The folder of the program to test: KATA_TARGET_DIR when set; the learner's
 * own folder; or, for the solution (and a mistake over it), a folder built
 * from the given files and the solution's, removed when this process ends.
 */
function targetDir(kataDir: string, target: "learner" | "solution"): string {
  const given = process.env[TARGET_DIR_VAR];
  if (given) return given;
  if (target === "learner") return kataDir;
  const solutionDir = join(dirname(dirname(kataDir)), "solutions", basename(kataDir));
  const mistake = process.env[MISTAKE_VAR];
  // Named after the kata (with a mistake, after the mistake), as the check's are.
  const dir = join(tempDir("kata-target-"), mistake ? `${basename(kataDir)}.mistake` : basename(kataDir));
  buildTarget(dir, {
    kataDir,
    solutionDir,
    mistake: !mistake ? undefined : mistake.endsWith(".patch") ? resolve(mistake) : join(solutionDir, MISTAKES_DIR, `${mistake}.patch`),
  });
  return dir;
}

/** The program of the kata whose test file is `testUrl`. */
export function kataProgram(testUrl: string, options: KataOptions = {}): KataProgram {
  const kataDir = dirname(fileURLToPath(testUrl));
  const target = process.env[TARGET_VAR] === "solution" ? "solution" : "learner";
  const dir = targetDir(kataDir, target);
  const defaults: RunOptions = {
    unitMs: options.unitMs,
    deadlineMs: options.deadlineMs,
    graceMs: options.graceMs,
  };
  const path = (file: string) => join(dir, file);
  return {
    target,
    path,
    unitMs: options.unitMs ?? 100,
    start: (file, runOptions = {}) => traced(path(file), withDefaults(defaults, runOptions)),
    async run(file, runOptions = {}) {
      const running = traced(path(file), withDefaults(defaults, runOptions));
      runOptions.watch?.(running);
      const result = await running.result;
      const crash = crashOf(result);
      if (crash && (!runOptions.expectCrash || couldNotStart(result))) fail(crash.message, { kind: crash.kind });
      if (!runOptions.allowFailure) assertFinished(result);
      if (!runOptions.allowLeftovers) assertNothingLeft(result);
      return result;
    },
  };
}

/** A test function as uvu runs it. */
export type TestFn = () => void | Promise<void>;

/** A kata's test suite: `test(name, fn)` for each behaviour, then `test.run()`. */
export interface KataSuite {
  test: ((name: string, fn: TestFn) => void) & { run(): void };
  program: KataProgram;
}

/** The uvu suite of the kata whose test file is `testUrl`, plus its program. */
export function kataSuite(testUrl: string, options: KataOptions = {}): KataSuite {
  const kata = kataName(testUrl);
  const s = suite(kata);
  const report = process.env[REPORT_VAR];
  const test = (name: string, fn: TestFn) => {
    s(name, async () => {
      const startMs = performance.now();
      if (report) writeFileSync(report + CURRENT_TEST_SUFFIX, name);
      const used = (using = new Set());
      try {
        await fn();
        record({ kata, test: name, ok: true, startMs, endMs: performance.now() }, used);
      } catch (err) {
        const e = withRunNews(err instanceof Error ? err : new Error(String(err)), used);
        const failure = e instanceof KataCheckError ? e.failure : undefined;
        record({
          kata, test: name, ok: false, startMs, endMs: performance.now(),
          error: { ...failure, name: e.name, message: failure?.message ?? e.message },
        }, used);
        throw e;
      } finally {
        using = undefined;
      }
    });
  };
  function record(entry: TestReport, used: Set<string>): void {
    const runs = unreported.splice(0);
    if (report) appendFileSync(report, JSON.stringify({ ...entry, runs, used: [...used] }) + "\n");
  }
  test.run = () => s.run();
  return { test, program: kataProgram(testUrl, options) };
}

/** Runs `fn` once, on first use, and hands every caller the same promise. */
export function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= fn();
    const by = using;
    // Registered before the caller's await, so the use is noted by the time the test goes on.
    value.then((v) => noteUse(v, by), () => {});
    return value;
  };
}

/** `options` over `defaults`, where a key set to undefined keeps the default. */
function withDefaults<T extends object>(defaults: RunOptions, options: T): RunOptions & T {
  const set = Object.entries(options).filter(([, v]) => v !== undefined);
  return { ...defaults, ...Object.fromEntries(set) } as RunOptions & T;
}
