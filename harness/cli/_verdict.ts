// Runs a kata's tests against the learner's files and turns the outcome into a
// short verdict: passed, or the first failing check with its lesson and its run.
import { join } from "node:path";
import type { TestReport } from "../kata.ts";
import { type Kata, programFiles, readText, solvedFiles, TODO } from "../katas.ts";
import { startTestFile, type TestFileResult } from "../test_file.ts";
import type { RunTrace } from "../timeline.ts";

/** The verdict on one kata. */
export interface Verdict {
  kata: Kata;
  passed: boolean;
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

/** Runs every test file of a kata, in order, and gives a verdict. */
export function judgeKata(kata: Kata, options: JudgeOptions = {}): Judging {
  const stopEarly = options.stopAtFirstFailure ?? true;
  let cancelled = false;
  let stopCurrent = () => {};
  const started = performance.now();
  async function judge(): Promise<Verdict> {
    const results: TestFileResult[] = [];
    for (const file of kata.testFiles) {
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
    return verdictOf(kata, results, cancelled, performance.now() - started);
  }
  // An interrupted CLI needs nothing of its own: run.ts kills every active run on SIGINT/SIGTERM/SIGHUP.
  return {
    verdict: judge(),
    cancel() {
      cancelled = true;
      stopCurrent();
    },
  };
}

function verdictOf(kata: Kata, results: TestFileResult[], cancelled: boolean, durationMs: number): Verdict {
  const reports = results.flatMap((r) => r.reports);
  const firstFailure = reports.find((r) => !r.ok);
  const crashed = results.find((r) => !r.passed && !r.reports.some((t) => !t.ok));
  const runs = reports.flatMap((r) => r.runs ?? []).map((trace) => ({
    trace,
    tests: reports.filter((r) => r.used?.includes(trace.runId)).map((r) => r.test),
  }));
  return {
    kata,
    passed: !cancelled && results.length > 0 && results.length === kata.testFiles.length &&
      results.every((r) => r.passed),
    cancelled,
    passedTests: reports.filter((r) => r.ok).length,
    ranTests: reports.length,
    firstFailure,
    failedRun: firstFailure ? runOfFailure(firstFailure, reports, runs.map((r) => r.trace)) : undefined,
    runs,
    crash: kata.testFiles.length === 0
      ? `${kata.dir} has no test file (*_test.ts) yet.`
      : crashed && !firstFailure ? crashOutput(crashed) : undefined,
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
