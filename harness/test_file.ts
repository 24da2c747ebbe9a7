// Runs one kata test file in a process of its own, as the check and the CLI do,
// and reads back what each test recorded.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPORT_VAR, TARGET_DIR_VAR, TARGET_VAR, type TestReport } from "./kata.ts";
import { cleanUpOnExit, type RunningProgram, type RunResult, start } from "./run.ts";

/** Deadline of a whole test file, in ms: its own runs have deadlines of their own. */
export const TEST_FILE_DEADLINE_MS = 180_000;

/** Options of {@link startTestFile}. */
export interface TestFileOptions {
  /** Run the tests against the learner's files (default) or the reference solution. */
  target?: "learner" | "solution";
  /** Run the tests against the program files in this folder instead. */
  targetDir?: string;
  /** Deadline of the whole file, in ms. */
  deadlineMs?: number;
  /** Called with each test's outcome as soon as it is recorded. */
  onReport?: (report: TestReport) => void;
}

/** What a test file's run produced. */
export interface TestFileResult {
  file: string;
  /** The test process itself: exit code, output, duration, leftovers. */
  run: RunResult;
  /** One entry per test that finished, in order. */
  reports: TestReport[];
  /** Whether the file ran to the end and every test passed. */
  passed: boolean;
}

/** A test file that is running; `stop()` kills it and everything it started. */
export interface RunningTestFile {
  program: RunningProgram;
  result: Promise<TestFileResult>;
  stop(): void;
}

const REPORT_POLL_MS = 20;

/** Starts a test file; reports stream through `onReport` while it runs. */
export function startTestFile(file: string, options: TestFileOptions = {}): RunningTestFile {
  const dir = mkdtempSync(join(tmpdir(), "kata-report-"));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  // An interrupted check or CLI (Ctrl-C in watch mode) removes it too.
  const forgetDir = cleanUpOnExit(removeDir);
  const reportPath = join(dir, "report.jsonl");
  const reports: TestReport[] = [];
  let read = 0;
  const poll = () => {
    let text = "";
    try {
      text = readFileSync(reportPath, "utf8");
    } catch {
      return;
    }
    const complete = text.slice(0, text.lastIndexOf("\n") + 1);
    for (const line of complete.slice(read).split("\n")) {
      if (!line) continue;
      const entry = JSON.parse(line) as TestReport;
      reports.push(entry);
      options.onReport?.(entry);
    }
    read = complete.length;
  };
  const program = start(file, {
    deadlineMs: options.deadlineMs ?? TEST_FILE_DEADLINE_MS,
    env: {
      [TARGET_VAR]: options.target ?? "learner",
      [TARGET_DIR_VAR]: options.targetDir ?? "",
      [REPORT_VAR]: reportPath,
      NO_COLOR: "1",
    },
  });
  const timer = setInterval(poll, REPORT_POLL_MS);
  const result = program.result.then((run) => {
    clearInterval(timer);
    poll();
    forgetDir();
    removeDir();
    const passed = run.exitCode === 0 && reports.length > 0 && reports.every((r) => r.ok);
    return { file, run, reports, passed };
  });
  return { program, result, stop: () => program.kill("SIGKILL") };
}

/** Runs a test file to the end. */
export function runTestFile(file: string, options: TestFileOptions = {}): Promise<TestFileResult> {
  return startTestFile(file, options).result;
}
