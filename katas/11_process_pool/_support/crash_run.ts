// Private helper of kata 11's tests: one run of main.ts in which the test kills
// the worker that is doing the long task, as a crash would, then lets the run
// end (or stops it once it has plainly stalled).
import { setTimeout as sleep } from "node:timers/promises";
import {
  describeEnd,
  fail,
  type KataProgram,
  type OutputLine,
  type ProcessRecord,
  type RunResult,
  stderrTail,
} from "../../../harness/mod.ts";

export const POOL_SIZE = 3;
export const TASK_COUNT = 12;
/** The task whose worker the test kills: main.ts makes it long. */
export const LONG_TASK = 5;
/** How long to wait for the long task to start (several tsx start-ups on a loaded machine). */
const START_MS = 30_000;
/** With every other task done and the long one not restarted, this much silence means a stall. */
export const STALL_MS = 10_000;
const POLL_MS = 100;

/** What the crash run saw. */
export interface CrashRun {
  result: RunResult;
  /** The worker the test killed, as observed. */
  killed: ProcessRecord;
  /** When the test killed it, in ms since the run started. */
  killedAt: number;
  /** Whether the test stopped the run because nothing happened any more. */
  stalled: boolean;
}

const DONE = /^main: task (\d+) done by worker (\d+): (-?\d+)$/;

/** A "main: task N done by worker P: R" line, parsed. */
export interface DoneLine {
  id: number;
  pid: number;
  result: number;
  at: number;
}

/** Every "done" line main.ts printed, in order. */
export function doneLines(lines: OutputLine[]): DoneLine[] {
  return lines.flatMap((l) => {
    const m = l.stream === "stdout" ? DONE.exec(l.text) : null;
    return m ? [{ id: Number(m[1]), pid: Number(m[2]), result: Number(m[3]), at: l.at }] : [];
  });
}

/** The children of main.ts running worker.ts, in order of appearance. */
export function workersOf(r: RunResult): ProcessRecord[] {
  return r.tree.filter((p) => p.ppid === r.pid && p.argv.some((a) => a.endsWith("worker.ts")));
}

/** Starts main.ts, kills the worker of the long task once it has started it, and waits for the end. */
export async function crashRun(program: KataProgram): Promise<CrashRun> {
  const running = program.start("main.ts");
  const started = new RegExp(`^worker (\\d+): task ${LONG_TASK} started$`);
  let line: OutputLine;
  try {
    line = await running.waitForLine(started, { timeoutMs: START_MS });
  } catch {
    running.kill("SIGKILL");
    const r = await running.result;
    const tail = stderrTail(r);
    return fail(
      `main.ts ${describeEnd(r)} before any worker said "worker <pid>: task ${LONG_TASK} started".` +
        (tail ? ` The end of its stderr:\n${tail}` : ""),
      { hint: "startPool() must fork its workers and send each a task: worker.send(task)." },
    );
  }
  const pid = Number(started.exec(line.text)![1]);
  running.tree.sample();
  const killed = running.tree.alive().find((p) => p.pid === pid && p.ppid === running.pid);
  if (!killed) {
    running.kill("SIGKILL");
    await running.result;
    return fail(`A worker said it started task ${LONG_TASK} as pid ${pid}, but no live child of main.ts has that pid.`);
  }
  const killedAt = running.now();
  process.kill(pid, "SIGKILL");
  let stalled = false;
  for (;;) {
    const ended = await Promise.race([running.result, sleep(POLL_MS).then(() => undefined)]);
    if (ended) return { result: ended, killed, killedAt, stalled };
    if (!stalled && hasStalled(running.lines, started, killedAt, running.now())) {
      stalled = true;
      running.kill("SIGKILL");
    }
  }
}

/** Every task but the long one done, the long one not started again, and no output for STALL_MS. */
function hasStalled(lines: OutputLine[], started: RegExp, killedAt: number, now: number): boolean {
  const done = new Set(doneLines(lines).map((d) => d.id));
  if (done.has(LONG_TASK) || done.size < TASK_COUNT - 1) return false;
  if (lines.some((l) => l.at > killedAt && started.test(l.text))) return false;
  const last = Math.max(killedAt, lines.at(-1)?.at ?? 0);
  return now - last > STALL_MS;
}
