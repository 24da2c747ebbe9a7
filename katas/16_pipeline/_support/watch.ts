// Private helper of kata 16's tests: one run of main.ts, watched from the
// kernel while it runs: how the three stages are wired (their stdin and stdout
// and the files main.ts holds, read while all three are alive), each stage's
// peak memory, and a deadlock of a consumer whose output nobody reads.
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { currentParent, type KataProgram, type ProcessRecord, type RunningProgram, type RunResult } from "../../../harness/mod.ts";
import { fdTarget, inodeOf, openFiles, peakRssKb, type UnixSocket, unixSockets } from "./kernel.ts";

export const STAGES = ["producer", "filter", "consumer"] as const;
export type StageName = typeof STAGES[number];

/** One stage as the kernel showed it. */
export interface StageSeen {
  record: ProcessRecord;
  /** Where its fd 0 and fd 1 pointed when first seen running its file. */
  stdin: string | undefined;
  stdout: string | undefined;
  /** The highest VmHWM read while it lived, in KiB. */
  peakKb: number;
}

/**
 * The wiring: each stage's stdio as first seen, the socket pairs as they were
 * when all three were first alive, and main.ts's files as last read while all
 * three were still alive.
 */
export interface Wiring {
  stages: Record<StageName, StageSeen>;
  /** Every open file of main.ts, the last time all three stages were alive. */
  mainFiles: Map<number, string>;
  /** The Unix sockets and their peers, from `ss`; undefined where ss is missing. */
  sockets: Map<string, UnixSocket> | undefined;
}

/** A consumer that could not finish: alive, its output unread, main.ts idle. */
export interface Stall {
  /** Bytes of the consumer's output waiting unread in main.ts's end; undefined without ss. */
  unread: number | undefined;
  /** How long nothing moved before the test stopped the run, in ms. */
  stuckMs: number;
}

export interface PipelineRun {
  result: RunResult;
  stages: Partial<Record<StageName, StageSeen>>;
  stall: Stall | undefined;
}

/** A run of main.ts being watched: the wiring comes early, the rest at the end. */
export interface Watched {
  wiring: Promise<Wiring | undefined>;
  done: Promise<PipelineRun>;
}

const POLL_MS = 10;
/** How often the consumer's output connection is looked at once the other stages are gone. */
const STALL_POLL_MS = 1000;
/** Unread output that has not moved for this long, main.ts idle, the consumer alive: a deadlock. */
export const STALL_MS = 10_000;
/** CPU time (in ticks of 10 ms) main.ts may use over a stall and still count as idle. */
const IDLE_TICKS = 20;
/** Without ss: how long the consumer may outlive the filter before the run counts as stuck. */
const STALL_WITHOUT_SS_MS = 30_000;

/** The stage a record runs, if it is one: a child of main.ts whose argv ends in `<stage>.ts`. */
function stageOf(r: ProcessRecord, mainPid: number): StageName | undefined {
  if (currentParent(r) !== mainPid) return undefined;
  return STAGES.find((s) => r.argv.some((a) => a.endsWith(`/${s}.ts`) || a === `${s}.ts`));
}

/** Starts main.ts and watches it until it ends (or is stopped as stuck). */
export function watchPipeline(program: KataProgram): Watched {
  const running = program.start("main.ts");
  const stages: Partial<Record<StageName, StageSeen>> = {};
  let wired: (w: Wiring | undefined) => void = () => {};
  const wiring = new Promise<Wiring | undefined>((resolve) => (wired = resolve));

  async function watch(): Promise<PipelineRun> {
    let ended = false;
    running.result.then(() => (ended = true));
    let sentWiring = false;
    let mainFiles: Map<number, string> | undefined;
    let sockets: Map<string, UnixSocket> | undefined;
    let stall: Stall | undefined;
    let stuckSince: Stuck | undefined;
    let lastStallPoll = -Infinity;
    while (!ended) {
      for (const r of running.tree.alive()) {
        const name = stageOf(r, running.pid);
        if (!name) continue;
        const seen = stages[name] ??= {
          record: r, stdin: fdTarget(r.pid, 0), stdout: fdTarget(r.pid, 1), peakKb: 0,
        };
        seen.peakKb = Math.max(seen.peakKb, peakRssKb(r.pid) ?? 0);
      }
      // main.ts's files are read again as long as all three live, so that the
      // last reading comes long after main.ts finished starting them.
      const all = STAGES.every((s) => stages[s] && isAlive(stages[s]!.record));
      if (all && !sentWiring) {
        sockets ??= unixSockets();
        mainFiles = openFiles(running.pid);
      } else if (mainFiles && !sentWiring) {
        sentWiring = true;
        wired({ stages: stages as Record<StageName, StageSeen>, mainFiles, sockets });
      }
      if (running.now() - lastStallPoll >= STALL_POLL_MS) {
        lastStallPoll = running.now();
        stuckSince = stuckCheck(running, stages, stuckSince);
        if (stuckSince && isStuck(stuckSince, running.now())) {
          stall = { unread: stuckSince.unread, stuckMs: running.now() - stuckSince.at };
          running.kill("SIGKILL");
          break;
        }
      }
      await sleep(POLL_MS);
    }
    const result = await running.result;
    // A run the deadline ended while it was already stuck is a stall too.
    if (!stall && result.timedOut && stuckSince) stall = { unread: stuckSince.unread, stuckMs: result.durationMs - stuckSince.at };
    if (!sentWiring) wired(mainFiles && { stages: stages as Record<StageName, StageSeen>, mainFiles, sockets });
    return { result, stages, stall };
  }
  return { wiring, done: watch() };
}

function isAlive(r: ProcessRecord): boolean {
  return r.goneAt === undefined && r.state !== "Z";
}

function isStuck(since: Stuck, now: number): boolean {
  return now - since.at >= (since.unread === undefined ? STALL_WITHOUT_SS_MS : STALL_MS);
}

/** CPU time (user + system) of `pid` in clock ticks, from /proc/<pid>/stat; undefined if it is gone. */
function cpuTicks(pid: number): number | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "latin1");
    const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return Number(f[11]) + Number(f[12]);
  } catch {
    return undefined;
  }
}

/** What a stuck check compares from one look to the next. */
interface Stuck {
  at: number;
  unread: number | undefined;
  mainTicks: number | undefined;
}

/**
 * Since when the run has been stuck: the consumer lives, bytes of its output
 * wait unread in main.ts's end of the connection, those bytes have not changed
 * since, and main.ts has used next to no CPU time. Undefined while anything moves.
 */
function stuckCheck(
  running: RunningProgram,
  stages: Partial<Record<StageName, StageSeen>>,
  since: Stuck | undefined,
): Stuck | undefined {
  const { consumer } = stages;
  if (!consumer || !isAlive(consumer.record)) return undefined;
  const mainTicks = cpuTicks(running.pid);
  const sockets = unixSockets();
  if (!sockets) {
    // Without ss: only a consumer that outlives the other two stages by far counts.
    const { producer, filter } = stages;
    if (!producer || !filter || isAlive(producer.record) || isAlive(filter.record)) return undefined;
    return since ?? { at: running.now(), unread: undefined, mainTicks };
  }
  const mine = inodeOf(consumer.stdout);
  const peer = mine === undefined ? undefined : sockets.get(mine)?.peer;
  const unread = peer === undefined ? undefined : sockets.get(peer)?.unread;
  if (unread === undefined || unread === 0) return undefined;
  // An idle Node process still wakes now and then (timers, the garbage collector): a
  // little CPU time is allowed; reading the consumer's output would change `unread`.
  const idle = since?.mainTicks !== undefined && mainTicks !== undefined && mainTicks - since.mainTicks < IDLE_TICKS;
  const still = since && since.unread === unread && idle;
  return still ? since : { at: running.now(), unread, mainTicks };
}
