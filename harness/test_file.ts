// Runs one kata test file in a process of its own, as the check and the CLI do,
// and reads back what each test recorded. The process gets a folder of its own
// for its report, the program under test and its temporary files; the folder
// is removed when the run ends, even when the file is killed at its first failure.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { cleanUpOnExit } from "./_exit_cleanup.ts";
import { REPORT_VAR, TARGET_DIR_VAR, TARGET_VAR, type TestReport } from "./kata.ts";
import { type RunningProgram, type RunResult, start } from "./run.ts";
import { buildTarget } from "./target.ts";
import { TMPDIR_VAR } from "./temp_dir.ts";

/** Deadline of a whole test file, in ms: its own runs have deadlines of their own. */
export const TEST_FILE_DEADLINE_MS = 180_000;

/** Options of {@link startTestFile}. */
export interface TestFileOptions {
  /** Run the tests against the learner's files (default) or the reference solution. */
  target?: "learner" | "solution";
  /** With the solution: a mistake's patch file to apply over it. */
  mistake?: string;
  /** Deadline of the whole file, in ms. */
  deadlineMs?: number;
  /** Kill the test file at its first failing test (verdicts come sooner). */
  stopAtFirstFailure?: boolean;
  /** Called with each test's outcome as soon as it is recorded (none after a stop at the first failure). */
  onReport?: (report: TestReport) => void;
}

/** What a test file's run produced. */
export interface TestFileResult {
  file: string;
  /** The test process itself: exit code, output, duration, leftovers. */
  run: RunResult;
  /** One entry per test that finished, in order (up to the first failure when stopped there). */
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

/**
 * Starts a test file; reports stream through `onReport` while it runs. Throws
 * a PatchError at once when a mistake's patch cannot be applied.
 */
export function startTestFile(file: string, options: TestFileOptions = {}): RunningTestFile {
  const dir = mkdtempSync(join(tmpdir(), "kata-report-"));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  // An interrupted check or CLI (Ctrl-C in watch mode) removes it too.
  const forgetDir = cleanUpOnExit(removeDir);
  const target = options.target ?? "learner";
  let programDir = "";
  if (target === "solution") {
    const kataDir = dirname(file);
    // Named after the kata (a mistake's folder after the mistake too), so that
    // coverage can tell which files of the repository the copies stand for.
    programDir = join(dir, options.mistake ? `${basename(kataDir)}.mistake` : basename(kataDir));
    try {
      buildTarget(programDir, {
        kataDir,
        solutionDir: join(dirname(dirname(kataDir)), "solutions", basename(kataDir)),
        mistake: options.mistake,
      });
    } catch (err) {
      forgetDir();
      removeDir();
      throw err;
    }
  }
  const reportPath = join(dir, "report.jsonl");
  const reports: TestReport[] = [];
  let stopped = false;
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
      if (!line || stopped) continue;
      const entry = JSON.parse(line) as TestReport;
      reports.push(entry);
      options.onReport?.(entry);
      if (!entry.ok && options.stopAtFirstFailure) {
        stopped = true;
        program.kill("SIGKILL");
      }
    }
    read = complete.length;
  };
  const program = start(file, {
    deadlineMs: options.deadlineMs ?? TEST_FILE_DEADLINE_MS,
    env: {
      [TARGET_VAR]: target,
      [TARGET_DIR_VAR]: programDir,
      [REPORT_VAR]: reportPath,
      [TMPDIR_VAR]: join(dir, "tmp"),
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

/** Runs a test file to the end (or to its first failure, when told to stop there). */
export function runTestFile(file: string, options: TestFileOptions = {}): Promise<TestFileResult> {
  return startTestFile(file, options).result;
}
