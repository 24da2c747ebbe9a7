// Runs one kata test file in a process of its own, as the check and the CLI do,
// and reads back what each test recorded. The process gets a folder of its own
// for its report, the program under test and its temporary files; the folder
// is removed when the run ends, even when the file is killed at its first failure.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { cleanUpOnExit } from "./_exit_cleanup.ts";
import { isLoaderHelper } from "./_loader.ts";
import { readStat } from "./_proc.ts";
import { ownerTag } from "./_sweep.ts";
import { shortCommand } from "./cleanup.ts";
import { CURRENT_TEST_SUFFIX, REPORT_VAR, TARGET_DIR_VAR, TARGET_VAR, type TestReport } from "./kata.ts";
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

/**
 * How the test file's own process (the test runner) was ended by something
 * other than its tests, the harness or its deadline: almost always the
 * program under test signalling its parent.
 */
export interface Interruption {
  /** `signal`: a signal killed the runner; `stopped`: it was stopped (SIGSTOP, SIGTSTP), and the harness ended it at once. */
  how: "signal" | "stopped";
  /** The signal that killed it (for `signal`). */
  signal?: NodeJS.Signals;
  /** The test that was running, if one was. */
  test?: string;
  /** What happened and the likely cause, for the learner. */
  message: string;
}

/** What a test file's run produced. */
export interface TestFileResult {
  file: string;
  /** The test process itself: exit code, output, duration, leftovers. */
  run: RunResult;
  /**
   * One entry per test that finished, in order (up to the first failure when
   * stopped there). When the runner was interrupted, a last entry for the
   * test it was running, failed with kind `crash` and the interruption's message.
   */
  reports: TestReport[];
  /** Whether the file ran to the end and every test passed. */
  passed: boolean;
  /** Set when something other than the tests or the harness ended the runner: what to tell the learner. */
  interrupted?: Interruption;
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
  // Named after this process, so that a harness started after it was SIGKILLed can tell the folder is orphaned.
  const dir = mkdtempSync(join(tmpdir(), `kata-report-${ownerTag()}-`));
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
  let halted: { at: number; running: string | undefined } | undefined;
  let read = 0;
  const poll = () => {
    // A runner stopped by a signal would sit there until its deadline: end it now, and say why.
    if (!halted && !stopped && readStat(program.pid)?.state === "T") {
      halted = { at: program.now(), running: programRunning(program) };
      program.kill("SIGKILL");
    }
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
    // The test file's own runs watch its programs closely; this run is watched
    // only to clean up after it, which needs no 4 ms samples.
    sampleMs: TEST_FILE_SAMPLE_MS,
    env: {
      [TARGET_VAR]: target,
      [TARGET_DIR_VAR]: programDir,
      [REPORT_VAR]: reportPath,
      [TMPDIR_VAR]: join(dir, "tmp"),
      NO_COLOR: "1",
    },
  });
  const timer = setInterval(poll, REPORT_POLL_MS);
  let running: string | undefined;
  const watchRunning = setInterval(() => (running = programRunning(program) ?? running), RUNNING_POLL_MS);
  const result = program.result.then((run) => {
    clearInterval(timer);
    clearInterval(watchRunning);
    poll();
    const current = readCurrentTest(reportPath, reports);
    forgetDir();
    removeDir();
    const interrupted = stopped || stoppedByCaller ? undefined : interruption(run, halted, current, halted?.running ?? running);
    if (interrupted) {
      const entry: TestReport = {
        kata: basename(dirname(file)), test: interrupted.test ?? "(before the first test)", ok: false,
        startMs: run.durationMs, endMs: run.durationMs,
        error: { name: "KataCheckError", kind: "crash", message: interrupted.message },
      };
      reports.push(entry);
      options.onReport?.(entry);
    }
    const passed = run.exitCode === 0 && reports.length > 0 && reports.every((r) => r.ok);
    return { file, run, reports, passed, ...(interrupted ? { interrupted } : {}) };
  });
  let stoppedByCaller = false;
  return {
    program,
    result,
    stop: () => {
      stoppedByCaller = true;
      program.kill("SIGKILL");
    },
  };
}

/** How often the runner's tree is looked at to know which program it is running, in ms. */
const RUNNING_POLL_MS = 50;
/** How often the tree of a whole test file is sampled, in ms. */
const TEST_FILE_SAMPLE_MS = 50;

/**
 * The program the test runner is running now, as "main.ts (pid 4242)", or
 * undefined: a child of the runner, or one first seen orphaned (its parent
 * unknown to the tree), as a program is when it kills the runner before a
 * sample saw it as the runner's child.
 */
function programRunning(program: RunningProgram): string | undefined {
  const known = new Set(program.tree.records().map((p) => p.pid));
  const runs = program.tree.alive().filter((p) =>
    p.pid !== program.pid && (p.ppid === program.pid || !known.has(p.ppid)) && !isLoaderHelper(p.argv)
  );
  const last = runs.at(-1);
  if (!last) return undefined;
  const command = shortCommand(last.argv).split(" ");
  const name = command.find((a) => /\.[cm]?[jt]s$/.test(a)) ?? command[0];
  return `${name} (pid ${last.pid})`;
}

/** The test the runner had started and not finished, from the file kata.ts writes at each test's start. */
function readCurrentTest(reportPath: string, reports: TestReport[]): string | undefined {
  try {
    const name = readFileSync(reportPath + CURRENT_TEST_SUFFIX, "utf8");
    return reports.some((r) => r.test === name) ? undefined : name;
  } catch {
    return undefined;
  }
}

/**
 * Why the runner ended, when neither its tests, nor the harness, nor its
 * deadline ended it: a signal it did not expect, or a stop.
 */
function interruption(
  run: RunResult,
  halted: { at: number } | undefined,
  test: string | undefined,
  running: string | undefined,
): Interruption | undefined {
  const during = test ? ` during "${test}"` : "";
  const program = running ?? "the program under test";
  const cause = `Did ${running ? running.replace(/ \(pid \d+\)$/, "") : "the program"} signal its parent ` +
    "(process.ppid)? Under the tests, that parent is the test runner, not a shell. Send signals only to processes your program started.";
  if (halted) {
    return {
      how: "stopped", test,
      message: `The test runner was stopped by a signal (SIGSTOP or SIGTSTP)${during}, while ${program} was running, ` +
        `so the harness ended it at once.\n${cause}`,
    };
  }
  if (run.timedOut || run.signal === null) return undefined;
  return {
    how: "signal", signal: run.signal, test,
    message: `The test runner was killed by ${run.signal}${during}, while ${program} was running; the harness did not send it.\n${cause}`,
  };
}

/** Runs a test file to the end (or to its first failure, when told to stop there). */
export function runTestFile(file: string, options: TestFileOptions = {}): Promise<TestFileResult> {
  return startTestFile(file, options).result;
}
