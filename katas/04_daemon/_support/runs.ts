// Private helpers of kata 04's tests: start main.ts (alone, or below a
// subreaper as on many desktops), find its two children in the observed tree,
// and watch what the daemon does once main.ts is gone.
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import {
  assertFinished, currentParent, describeEnd, fail, KataCheckError, type KataProgram, loaderName, ms,
  type OutputLine, type ProcessRecord, type RunningProgram, type RunOptions, type RunResult, startPython, stderrTail,
} from "../../../harness/mod.ts";

const SUBREAPER = fileURLToPath(new URL("./subreaper.py", import.meta.url));
/** Slack on a kernel start time (10 ms ticks) against a line's arrival, in ms. */
const CREATED_SLACK_MS = 20;
/** How often a watch looks at the tree and the output again, in ms. */
const WATCH_MS = 10;
/**
 * Ticks a daemon may print with a parent other than main.ts before it counts
 * as living on without it. A daemon that notices prints at most one: the tick
 * that was due when its parent died, in the same turn of its event loop.
 */
export const ORPHAN_TICKS = 3;

/** A started main.ts, its first line, and what the harness observes of its run. */
export interface Started {
  running: RunningProgram;
  /** main.ts's pid: the run's root, or the subreaper's child. */
  mainPid: number;
  /** main.ts's first line ("main: pid ... started daemon ... and worker ..."). */
  firstLine: OutputLine;
  /** Every process of the run but main.ts (and the subreaper) observed so far, dead or alive. */
  others(): ProcessRecord[];
  /** The run's deadline, in ms after its start. */
  deadlineMs: number;
}

/** Options of {@link startMain}. */
export interface StartOptions extends RunOptions {
  deadlineMs: number;
  /** Run main.ts below a subreaper, which adopts its orphans instead of pid 1. */
  subreaper?: boolean;
}

/** The two children the program must start, by the file each runs. */
export const ROLES = {
  daemon: { file: "daemon.ts", name: "daemon child", how: "fork(DAEMON)" },
  worker: { file: "worker.ts", name: "ordinary child", how: "fork(WORKER)" },
} as const;
export type Role = keyof typeof ROLES;

/** Starts main.ts below the subreaper of _support/subreaper.py. */
function startBelowSubreaper(program: KataProgram, options: RunOptions): RunningProgram {
  const loader = loaderName() === "tsx"
    ? ["--import", import.meta.resolve("tsx")]
    : ["--disable-warning=ExperimentalWarning"];
  const command = [process.execPath, ...loader, program.path("main.ts"), ...(options.args ?? [])];
  return startPython(SUBREAPER, command, { ...options, unitMs: program.unitMs });
}

/** Starts main.ts and waits for its first line; fails with a lesson if it never comes. */
export async function startMain(program: KataProgram, options: StartOptions): Promise<Started> {
  const { subreaper, ...runOptions } = options;
  const running = subreaper ? startBelowSubreaper(program, runOptions) : program.start("main.ts", runOptions);
  let firstLine: OutputLine;
  try {
    firstLine = await running.waitForLine(/^main: /);
  } catch (err) {
    const r = await stopAll(running);
    // The harness's own account (a crash, a file that could not load) comes first.
    if (err instanceof KataCheckError) throw err;
    const tail = stderrTail(r);
    return fail(`main.ts ${describeEnd(r)} without printing its first line ("main: pid ...").` +
      (tail ? ` The end of its stderr:\n${tail}` : ""));
  }
  // fork() returns once the child has exec'd node with its arguments: both children are there to see.
  running.tree.sample();
  const ours = () =>
    running.tree.records().filter((p) => p.pid !== running.pid && !p.argv.some((a) => a.endsWith("subreaper.py")));
  const mainPid = subreaper
    ? ours().find((p) => p.argv.some((a) => a.endsWith("/main.ts")))?.pid ?? running.pid
    : running.pid;
  const others = () => ours().filter((p) => p.pid !== mainPid);
  return { running, mainPid, firstLine, others, deadlineMs: options.deadlineMs };
}

/**
 * The child of main.ts running the file of `role`, started before main.ts's
 * first line, or a failed check saying what was seen. With `orphaned`, a process of the run that main.ts's death
 * has already handed to another parent counts too.
 */
export function childFor(s: Started, role: Role, orphaned = false): ProcessRecord {
  const { file, name, how } = ROLES[role];
  const runs = (p: ProcessRecord) => p.argv.some((a) => a === file || a.endsWith(`/${file}`));
  const children = s.others().filter((p) => p.ppid === s.mainPid);
  const found = children.find(runs) ?? (orphaned ? s.others().find(runs) : undefined);
  // Kernel start times have a 10 ms resolution.
  if (found && (orphaned || found.createdAt <= s.firstLine.at + CREATED_SLACK_MS)) return found;
  if (found) {
    return fail(`main.ts (pid ${s.mainPid}) started its ${name} (pid ${found.pid}) only after its first line, ` +
      `${ms(found.createdAt - s.firstLine.at)} later.`, {
      hint: `Start the ${name} with ${how} before the program's own work begins.`,
    });
  }
  const seen = children.length === 0
    ? "no child process at all"
    : children.map((p) => `pid ${p.pid} (${p.argv.slice(-2).join(" ")})`).join(", ");
  return fail(
    `Expected main.ts (pid ${s.mainPid}) to have started a child running ${file} before its ` +
      `first line, but the harness saw ${seen}.`,
    { hint: `Start the ${name} with ${how} before the program's own work begins.` },
  );
}

/**
 * Waits for a line of the running program, or for `record`'s process to end
 * first; true when the line came. Fails with `why` when the run ends without it.
 */
export async function lineOrEnd(s: Started, pattern: RegExp, record: ProcessRecord, why: string): Promise<boolean> {
  const stop = new AbortController();
  const ended = (async () => {
    while (!stop.signal.aborted && record.endedAt === undefined) await sleep(WATCH_MS);
    return false;
  })();
  try {
    const came = await Promise.race([s.running.waitForLine(pattern).then(() => true), ended]);
    // Killed by the harness at the deadline is no end of its own: say what everyone was doing then.
    if (!came && s.running.now() >= s.deadlineMs) assertFinished(await s.running.result);
    return came;
  } catch (err) {
    return fail(`${why} ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    stop.abort();
  }
}

/** What became of a daemon once its parent was gone. */
export interface Fate {
  /** Whether it ended by itself. */
  ended: boolean;
  /** The ticks it printed with another parent than main.ts, in order. */
  orphanTicks: OutputLine[];
  /** Its parent when last seen (an orphan's adoptive parent). */
  adoptedBy: number;
}

/**
 * Watches `daemon` after main.ts's death until it ends by itself or prints
 * ORPHAN_TICKS ticks with another parent; then it is killed, so that the run
 * ends soon. The tick lines carry the parent the kernel gave at that moment.
 */
export async function watchOrphan(s: Started, daemon: ProcessRecord): Promise<Fate> {
  const orphanTick = /^daemon: tick \d+, parent (\d+)$/;
  const adopted = (l: OutputLine) =>
    l.stream === "stdout" && Number(orphanTick.exec(l.text)?.[1] ?? s.mainPid) !== s.mainPid;
  let over = false;
  s.running.result.then(() => (over = true));
  for (;;) {
    const ticks = s.running.lines.filter(adopted).slice(0, ORPHAN_TICKS);
    const fate = { orphanTicks: ticks, adoptedBy: currentParent(daemon) };
    // (Ended at the deadline, killed by the harness, is told apart by the caller from the run's result.)
    if (daemon.endedAt !== undefined) return { ...fate, ended: true };
    if (ticks.length >= ORPHAN_TICKS || over) {
      kill(daemon.pid);
      return { ...fate, ended: false };
    }
    await sleep(WATCH_MS);
  }
}

function kill(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

/** Kills every process of the run that is alive, and waits for the run's clean-up. */
export async function stopAll(running: RunningProgram): Promise<RunResult> {
  running.tree.sample();
  for (const p of running.tree.alive()) kill(p.pid);
  kill(running.pid);
  return running.result;
}

/** Runs `checks` on a running program; if they fail, stops it and waits for the clean-up first. */
export async function orStop<T>(s: Started, checks: () => Promise<T>): Promise<T> {
  try {
    return await checks();
  } catch (err) {
    await stopAll(s.running);
    throw err;
  }
}
