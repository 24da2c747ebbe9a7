// Runs a kata's tests against the learner's files and turns the outcome into a
// short verdict: passed, or the first failing check with its lesson and its run.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import type { TestReport } from "../kata.ts";
import { type Kata, programFiles, readText, solvedFiles, TODO } from "../katas.ts";
import { type Interruption, startTestFile, type TestFileResult } from "../test_file.ts";
import type { RunTrace } from "../timeline.ts";
import { trackedFiles } from "./_git.ts";
import { typeCheckKata } from "./_types.ts";

/** The verdict on one kata. */
export interface Verdict {
  kata: Kata;
  /** The tests passed, no program file is missing and tsc finds no type error. */
  passed: boolean;
  /** Whether every test passed (whatever tsc says). */
  testsPassed: boolean;
  /** Whether the run was cancelled (a newer save, a quit): then nothing else counts. */
  cancelled: boolean;
  /** Tests that passed, out of those that ran. */
  passedTests: number;
  ranTests: number;
  /** The first failing test, if any. */
  firstFailure?: TestReport;
  /** The run the first failing test judged, when it had ended. */
  failedRun?: RunTrace;
  /** Every run of the program that ended, in order, with the tests that used it. */
  runs: { trace: RunTrace; tests: string[] }[];
  /** Output of a test file that crashed before its tests could report. */
  crash?: string;
  /**
   * Set when something other than the tests or the harness ended a test file
   * (almost always the program signalling its parent, the test runner); then the
   * first failure is the test it cut short, with this message.
   */
  interrupted?: Interruption;
  /**
   * Files the kata comes with that are gone (absolute paths), found from git's
   * index or the kata's layout. When a program file is among them the tests did not run.
   */
  missing: string[];
  /** tsc's errors in the kata's files; undefined when not checked (the solution) or tsc could not run. */
  typeErrors?: string[];
  durationMs: number;
}

/** Options of {@link judgeKata}. */
export interface JudgeOptions {
  /** Stop at the first failing test (faster verdicts); default true. */
  stopAtFirstFailure?: boolean;
  /** Which files: the learner's (default) or the solution's. */
  target?: "learner" | "solution";
  /** Called with each test's outcome as soon as it is recorded. */
  onReport?: (report: TestReport) => void;
}

/** A kata being judged; `cancel()` kills its test run and all it started. */
export interface Judging {
  verdict: Promise<Verdict>;
  cancel(): void;
}

/**
 * Runs every test file of a kata, in order, and gives a verdict. Against the
 * learner's files, tsc checks their types meanwhile, and a missing program
 * file is named instead of running tests that could only fail to start.
 */
export function judgeKata(kata: Kata, options: JudgeOptions = {}): Judging {
  const stopEarly = options.stopAtFirstFailure ?? true;
  const learner = (options.target ?? "learner") === "learner";
  let cancelled = false;
  let stopCurrent = () => {};
  const started = performance.now();
  const missing = learner ? missingFiles(kata) : [];
  const types = learner ? typeCheckKata(kata) : undefined;
  async function judge(): Promise<Verdict> {
    const results: TestFileResult[] = [];
    const canRun = !missing.some((f) => f.endsWith(".ts"));
    for (const file of canRun ? kata.testFiles : []) {
      if (cancelled) break;
      const running = startTestFile(file, {
        target: options.target,
        stopAtFirstFailure: stopEarly,
        onReport: (r) => cancelled || options.onReport?.(r),
      });
      stopCurrent = running.stop;
      const result = await running.result;
      results.push(result);
      if (!result.passed && stopEarly) break;
    }
    const typeErrors = cancelled ? undefined : await types?.errors;
    return verdictOf(kata, results, { cancelled, missing, typeErrors, durationMs: performance.now() - started });
  }
  // An interrupted CLI needs nothing of its own: run.ts kills every active run on SIGINT/SIGTERM/SIGHUP.
  return {
    verdict: judge(),
    cancel() {
      cancelled = true;
      stopCurrent();
      types?.cancel();
    },
  };
}

/**
 * The kata's files that are gone: those git tracks in its folder, else (no git)
 * its README and the files its solution changes.
 */
export function missingFiles(kata: Kata): string[] {
  const root = dirname(dirname(kata.learnerDir));
  const tracked = trackedFiles(root, kata.learnerDir)?.map((f) => join(root, f));
  const known = [join(kata.learnerDir, "README.md"), ...solvedFiles(kata).map((f) => join(kata.learnerDir, f))];
  return [...new Set([...(tracked ?? []), ...known])].filter((f) => !existsSync(f)).sort();
}

/** What a verdict adds to the test files' results. */
interface Extras {
  cancelled: boolean;
  missing: string[];
  typeErrors?: string[];
  durationMs: number;
}

function verdictOf(kata: Kata, results: TestFileResult[], extras: Extras): Verdict {
  const { cancelled, missing, typeErrors, durationMs } = extras;
  const reports = results.flatMap((r) => r.reports);
  const firstFailure = reports.find((r) => !r.ok);
  const crashed = results.find((r) => !r.passed && !r.reports.some((t) => !t.ok));
  const runs = reports.flatMap((r) => r.runs ?? []).map((trace) => ({
    trace,
    tests: reports.filter((r) => r.used?.includes(trace.runId)).map((r) => r.test),
  }));
  const interrupted = results.find((r) => r.interrupted)?.interrupted;
  const testsPassed = !cancelled && results.length > 0 && results.length === kata.testFiles.length &&
    results.every((r) => r.passed);
  return {
    kata,
    passed: testsPassed && (typeErrors ?? []).length === 0,
    testsPassed,
    cancelled,
    passedTests: reports.filter((r) => r.ok).length,
    ranTests: reports.length,
    firstFailure,
    failedRun: firstFailure ? runOfFailure(firstFailure, reports, runs.map((r) => r.trace)) : undefined,
    runs,
    crash: kata.testFiles.length === 0
      ? `${kata.dir} has no test file (*_test.ts) yet.`
      : crashed && !firstFailure ? crashOutput(crashed) : undefined,
    missing,
    typeErrors,
    ...(interrupted ? { interrupted } : {}),
    durationMs,
  };
}

/** The run a failed test judged: the last it used, else the last to end before it failed. */
function runOfFailure(failure: TestReport, reports: TestReport[], traces: RunTrace[]): RunTrace | undefined {
  for (const id of [...(failure.used ?? [])].reverse()) {
    const found = traces.find((t) => t.runId === id);
    if (found) return found;
  }
  const upTo = reports.slice(0, reports.indexOf(failure) + 1).flatMap((r) => r.runs ?? []);
  return upTo.at(-1);
}

function crashOutput(r: TestFileResult): string {
  const lines = (r.run.stderr || r.run.stdout).trimEnd().split("\n");
  const text = lines.filter((l) => !/^\s+at /.test(l)).slice(-12).join("\n");
  if (r.run.timedOut) return `The test file was still running at its ${r.run.deadlineMs} ms deadline.\n${text}`;
  return text || `The test file ${r.run.signal ? `was killed by ${r.run.signal}` : `exited with code ${r.run.exitCode}`}.`;
}

/**
 * The files a learner edits for a kata: those the reference solution gives
 * its own version of; without a solution, those with TODO markers; else all.
 */
export function filesToEdit(kata: Kata): string[] {
  const files = programFiles(kata.learnerDir);
  const solved = new Set(solvedFiles(kata));
  const marked = files.filter((f) => readText(join(kata.learnerDir, f))?.includes(TODO));
  const chosen = [files.filter((f) => solved.has(f)), marked, files].find((list) => list.length > 0) ?? [];
  return chosen.map((f) => join(kata.learnerDir, f));
}
