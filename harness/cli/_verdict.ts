// Runs a kata's tests against the learner's files and turns the outcome into a
// short verdict: passed, or the first failing check with its lesson.
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { TestReport } from "../kata.ts";
import { type Kata, programFiles, ROOT } from "../katas.ts";
import { startTestFile, type TestFileResult } from "../test_file.ts";

/** The verdict on one kata. */
export interface Verdict {
  kata: Kata;
  passed: boolean;
  /** Tests that passed, out of those that ran. */
  passedTests: number;
  ranTests: number;
  /** The first failing test, if any. */
  firstFailure?: TestReport;
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
        onReport: (r) => {
          if (!r.ok && stopEarly) running.stop();
        },
      });
      stopCurrent = running.stop;
      const result = await running.result;
      results.push(result);
      if (!result.passed && stopEarly) break;
    }
    const reports = results.flatMap((r) => r.reports);
    const firstFailure = reports.find((r) => !r.ok);
    const crashed = results.find((r) => !r.passed && !r.reports.some((t) => !t.ok));
    return {
      kata,
      passed: !cancelled && results.length === kata.testFiles.length && results.every((r) => r.passed),
      passedTests: reports.filter((r) => r.ok).length,
      ranTests: reports.length,
      firstFailure,
      crash: crashed && !firstFailure ? crashOutput(crashed) : undefined,
      durationMs: performance.now() - started,
    };
  }
  return {
    verdict: judge(),
    cancel() {
      cancelled = true;
      stopCurrent();
    },
  };
}

function crashOutput(r: TestFileResult): string {
  const lines = (r.run.stderr || r.run.stdout).trimEnd().split("\n");
  return lines.filter((l) => !/^\s+at /.test(l)).slice(-12).join("\n");
}

/** The files a learner edits for a kata (those with TODO markers, else all), relative to the root. */
export function filesToEdit(kata: Kata): string[] {
  const files = programFiles(kata.learnerDir);
  const marked = files.filter((f) => readFileSync(join(kata.learnerDir, f), "utf8").includes("// TODO:"));
  return (marked.length > 0 ? marked : files).map((f) => relative(ROOT, join(kata.learnerDir, f)));
}
