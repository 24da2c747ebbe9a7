// Private helpers of kata 19's tests: the two runs of the supervisor, and its
// children as the kernel showed them.
import { setTimeout as sleep } from "node:timers/promises";
import { join } from "node:path";
import {
  aliveInterval,
  type Interval,
  type KataProgram,
  type ProcessRecord,
  type RunningProgram,
  type RunResult,
  tempDir,
} from "../../../harness/mod.ts";

const FLAKY = new URL("./flaky.sh", import.meta.url).pathname;
const POLL_MS = 10;

/**
 * The crashy run: the first child hangs until the harness kills it; then three
 * quick crashes, one stable run that crashes late, two quick crashes, and a
 * child that exits with code 0. Every child lives a unit at least, so that the
 * harness's samples of /proc surely see it, however busy the machine.
 */
export const CRASHY = {
  maxRestarts: 4,
  windowUnits: 10,
  stableUnits: 10,
  /** The stable child runs this long before it crashes. */
  stableRunUnits: 13,
  /** How long the other children run before they crash, or exit 0. */
  quickUnits: 1,
  /** Child 1 is killed by the harness; children 2-4 crash quickly; 5 is stable; 6-7 crash quickly; 8 exits 0. */
  children: 8,
  /** The delay before each restart, in units: children 2 to 8. */
  delays: [1, 2, 4, 8, 1, 2, 4],
  /** The index (0-based) of the stable child. */
  stable: 4,
};

/** The hopeless run: every child crashes 2 units after it starts. */
export const HOPELESS = {
  maxRestarts: 2,
  windowUnits: 100,
  stableUnits: 50,
  crashUnits: 2,
  /** The first child and two restarts. */
  children: 3,
};

/** A run of the crashy plan: the harness kills the first child once it sleeps. */
export interface CrashyRun {
  r: RunResult;
  /** The first child, which the harness killed with SIGKILL, and when; undefined if none was seen. */
  killed: { pid: number; at: number } | undefined;
}

/** Starts the supervisor on the crashy plan and kills its first child (it hangs) as soon as the kernel shows it. */
export async function crashyRun(program: KataProgram, unitMs: number): Promise<CrashyRun> {
  const seconds = (units: number) => String((units * unitMs) / 1000);
  const quick = `crash:${seconds(CRASHY.quickUnits)}`;
  const stable = `crash:${seconds(CRASHY.stableRunUnits)}`;
  const plans = ["hang", quick, quick, quick, stable, quick, quick, `ok:${seconds(CRASHY.quickUnits)}`];
  const running = program.start("supervisor.ts", {
    args: [
      "--max-restarts", String(CRASHY.maxRestarts), "--window-units", String(CRASHY.windowUnits),
      "--stable-units", String(CRASHY.stableUnits), "--", "sh", FLAKY, join(tempDir("kata19-"), "count"), ...plans,
    ],
  });
  const hanging = await pollUntil(running, () =>
    running.tree.records().find((p) => p.ppid === running.pid && p.argv[0] === "sleep" && p.goneAt === undefined)
  );
  let killed: CrashyRun["killed"];
  if (hanging) {
    killed = { pid: hanging.pid, at: running.now() };
    try {
      process.kill(hanging.pid, "SIGKILL");
    } catch {
      // Gone already: the tests say what the supervisor did.
    }
  }
  return { r: await running.result, killed };
}

/** Runs the supervisor on children that all crash: it should give up. */
export function hopelessRun(program: KataProgram, unitMs: number): Promise<RunResult> {
  const crash = `crash:${(HOPELESS.crashUnits * unitMs) / 1000}`;
  return program.start("supervisor.ts", {
    args: [
      "--max-restarts", String(HOPELESS.maxRestarts), "--window-units", String(HOPELESS.windowUnits),
      "--stable-units", String(HOPELESS.stableUnits), "--", "sh", FLAKY, join(tempDir("kata19-"), "count"), crash,
    ],
  }).result;
}

/** Polls until `probe` finds something (resolves with it) or the program ends (undefined). */
async function pollUntil<T>(running: RunningProgram, probe: () => T | undefined): Promise<T | undefined> {
  let ended = false;
  running.result.then(() => (ended = true), () => (ended = true));
  for (;;) {
    const found = probe();
    if (found !== undefined || ended) return found;
    await sleep(POLL_MS);
  }
}

/** The supervisor's children, in the order they were started. */
export function childrenOfSupervisor(r: RunResult): ProcessRecord[] {
  return r.tree.filter((p) => p.ppid === r.pid && p.pid !== r.pid).sort((a, b) => a.startTicks - b.startTicks);
}

/** The children's lives, labelled for a chart. */
export function lives(children: ProcessRecord[]): Interval[] {
  return children.map((p, i) => aliveInterval(p, `child ${i + 1} (pid ${p.pid})`));
}

/**
 * The gap between the end of `before` and the start of `after`, bracketed: the
 * real gap was at most `longest` (from the last sample that saw `before` alive
 * to the first that saw `after`) and at least `shortest` (from the first sample
 * that saw `before` dead to the kernel's start time of `after`, whose 10 ms
 * resolution is allowed for).
 */
export function gap(before: ProcessRecord, after: ProcessRecord): { shortest: number; longest: number } {
  return {
    shortest: after.createdAt - 10 - (before.endedAt ?? Infinity),
    longest: after.firstSeen - (before.lastAlive ?? before.firstSeen),
  };
}

/**
 * Whether `p` was still alive after the supervisor had exited: the kernel gave
 * it another parent (it was adopted), or the harness found it after the exit.
 */
export function outlived(r: RunResult, p: ProcessRecord): boolean {
  return p.parents.length > 0 || r.leftovers.some((l) => l.pid === p.pid);
}

/** The most restarts (starts of children after the first) within any `windowMs`. */
export function mostRestartsWithin(children: ProcessRecord[], windowMs: number): number {
  const starts = children.slice(1).map((p) => p.createdAt);
  return Math.max(0, ...starts.map((t) => starts.filter((s) => s >= t && s - t < windowMs).length));
}
