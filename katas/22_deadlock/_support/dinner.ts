// Test helpers of kata 22: read the dinner from the philosophers' own lines
// (who holds which fork, who waits for which), find a wait cycle in them, and
// watch a run until it ends or is plainly stuck.
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import type { OutputLine, ProcessRecord, RunningProgram, RunResult } from "../../../harness/mod.ts";

/** How often a running dinner's lines are read. */
const POLL_MS = 20;
/**
 * A philosopher that finds its next fork busy this many times in a row while
 * it holds another, never putting that one down, is spinning on it, not backing off.
 */
export const SPIN_TRIES = 5;

const LINE = /^philosopher (\d+): (asks for|holds|tries|finds|puts down) fork (\d+)(?: busy)?$/;
const EATS = /^philosopher (\d+): eats \(meal (\d+) of (\d+)\)$/;

/** One philosopher as its own lines tell it, up to the last line read. */
export interface Diner {
  id: number;
  /** Forks it holds. */
  holds: Set<number>;
  /** Forks it asked for with take() and does not hold yet: it waits for them. */
  waits: Set<number>;
  /** The fork it keeps trying (tryTake) and finding busy, and how many times in a row, while it holds another. */
  spin: { fork: number; tries: number } | undefined;
  /** Its meals, each with the forks it held when it said it eats. */
  meals: { meal: number; holding: number[]; at: number }[];
}

/** Every philosopher's state, from the lines so far (one process's lines keep their order on the pipe). */
export function diners(lines: OutputLine[]): Map<number, Diner> {
  const all = new Map<number, Diner>();
  const get = (id: number) => {
    let d = all.get(id);
    if (!d) all.set(id, d = { id, holds: new Set(), waits: new Set(), spin: undefined, meals: [] });
    return d;
  };
  for (const l of lines) {
    if (l.stream !== "stdout") continue;
    const eats = EATS.exec(l.text);
    if (eats) {
      const d = get(Number(eats[1]));
      d.meals.push({ meal: Number(eats[2]), holding: [...d.holds], at: l.at });
      continue;
    }
    const m = LINE.exec(l.text);
    if (!m) continue;
    const d = get(Number(m[1]));
    const fork = Number(m[3]);
    switch (m[2]) {
      case "asks for":
        d.waits.add(fork);
        break;
      case "holds":
        d.waits.delete(fork);
        d.holds.add(fork);
        d.spin = undefined;
        break;
      case "finds":
        d.spin = d.holds.size > 0 && d.spin?.fork === fork ? { fork, tries: d.spin.tries + 1 } : { fork, tries: 1 };
        break;
      case "puts down":
        d.holds.delete(fork);
        d.spin = undefined;
        break;
    }
  }
  return all;
}

/** One step of a wait cycle: `who` holds a fork and waits for (or spins on) `fork`, held by the next. */
export interface CycleStep {
  who: Diner;
  fork: number;
}

/** A cycle in which every philosopher holds a fork and waits for, or spins on, the next one's. */
export interface WaitCycle {
  steps: CycleStep[];
  /** Whether the philosophers in it keep trying (a livelock) rather than wait (a deadlock). */
  spinning: boolean;
}

/**
 * A cycle of philosophers, each holding a fork and waiting for one the next
 * holds. Read from each one's own lines, it is a deadlock for certain: none
 * can put a fork down before it eats, which needs the fork the next one holds
 * (however late the lines arrived, each is a moment its philosopher lived).
 * With `spinning`, a philosopher that keeps finding its fork busy while it
 * holds another counts as waiting for it: a livelock.
 */
export function waitCycle(lines: OutputLine[], spinning = false): WaitCycle | undefined {
  const all = diners(lines);
  const holderOf = (fork: number) => [...all.values()].find((d) => d.holds.has(fork));
  const wanted = (d: Diner): number[] => {
    if (d.holds.size === 0) return [];
    const forks = [...d.waits];
    if (spinning && d.spin && d.spin.tries >= SPIN_TRIES) forks.push(d.spin.fork);
    return forks;
  };
  for (const start of all.values()) {
    // Walk from `start`, one wanted fork at a time (each waits for one in practice).
    const path: CycleStep[] = [];
    let d: Diner | undefined = start;
    while (d && path.length <= all.size) {
      const fork = wanted(d).find((f) => holderOf(f) !== undefined && holderOf(f) !== d);
      if (fork === undefined) break;
      path.push({ who: d, fork });
      d = holderOf(fork);
      const at = path.findIndex((s) => s.who === d);
      if (at >= 0) {
        const steps = path.slice(at);
        return { steps, spinning: steps.some((s) => !s.who.waits.has(s.fork)) };
      }
    }
  }
  return undefined;
}

/** The cycle in words, one philosopher a line, for lessons. */
export function describeCycle(cycle: WaitCycle, pids: Map<number, number>): string {
  const all = cycle.steps;
  return all.map((s, i) => {
    const next = all[(i + 1) % all.length].who;
    const held = [...s.who.holds].join(" and ");
    const how = s.who.waits.has(s.fork) ? "waits for" : `keeps trying (${s.who.spin?.tries} times in a row)`;
    return `  philosopher ${s.who.id}${pid(pids, s.who.id)} holds fork ${held} and ${how} fork ${s.fork}, ` +
      `held by philosopher ${next.id}`;
  }).join("\n");
}

function pid(pids: Map<number, number>, id: number): string {
  const p = pids.get(id);
  return p === undefined ? "" : ` (pid ${p})`;
}

/** The philosopher processes the kernel saw, by number (from their argv), children of main.ts. */
export function philosopherProcesses(records: ProcessRecord[], mainPid: number): Map<number, ProcessRecord> {
  const out = new Map<number, ProcessRecord>();
  for (const p of records) {
    const at = p.argv.findIndex((a) => a.endsWith("philosopher.ts"));
    if (at < 0 || p.ppid !== mainPid) continue;
    out.set(Number(p.argv[at + 1]), p);
  }
  return out;
}

/** The pid of each philosopher seen so far, by number. */
export function pidsOf(records: ProcessRecord[], mainPid: number): Map<number, number> {
  return new Map([...philosopherProcesses(records, mainPid)].map(([id, p]) => [id, p.pid]));
}

/** Lines of the broker's deadlock report. */
export function reportLines(lines: OutputLine[]): OutputLine[] {
  return lines.filter((l) => l.stream === "stdout" && l.text.startsWith("deadlock:"));
}

/** The philosophers a report names, in order: `philosopher 1 (pid 4101) waits for ...`; undefined if unreadable. */
export function parseReport(text: string): { id: number; pid: number }[] | undefined {
  const parts = text.replace(/^deadlock:\s*/, "").split(" waits for ");
  const named = parts.map((p) => /^philosopher (\d+) \(pid (\d+)\)$/.exec(p.trim()));
  if (named.some((m) => m === null)) return undefined;
  return named.map((m) => ({ id: Number(m![1]), pid: Number(m![2]) }));
}

/** Why a watched dinner was stopped, if it was. */
export interface Stuck {
  cycle: WaitCycle;
  /** When the cycle was first seen, ms since the run started. */
  at: number;
}

/**
 * Watches a dinner until it ends by itself (resolves with undefined) or its
 * lines show a wait cycle (resolves with it; with `spinning`, a livelock
 * counts too). With `reportWaitMs`, once a cycle is seen it waits for the
 * broker's report up to that long before it resolves.
 */
export async function watchDinner(
  running: RunningProgram,
  options: { spinning?: boolean; reportWaitMs?: number } = {},
): Promise<Stuck | undefined> {
  let ended = false;
  running.result.then(() => (ended = true), () => (ended = true));
  let stuck: Stuck | undefined;
  while (!ended && !stuck) {
    const cycle = waitCycle(running.lines, options.spinning);
    if (cycle) stuck = { cycle, at: running.now() };
    else await sleep(POLL_MS);
  }
  if (!stuck || !options.reportWaitMs) return stuck;
  const until = running.now() + options.reportWaitMs;
  while (!ended && reportLines(running.lines).length === 0 && running.now() < until) await sleep(POLL_MS);
  return stuck;
}

/** The dinner's lines in the order they came, for lessons (the last `count`). */
export function tail(r: RunResult | RunningProgram, count = 12): string {
  return r.lines.filter((l) => l.stream === "stdout").slice(-count)
    .map((l) => `  ${String(Math.round(l.at)).padStart(6)} ms  ${l.text}`).join("\n");
}

/** CPU time (user + system, in clock ticks) of `pid`, or undefined if it is gone. */
function cpuTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/** Clock ticks per second, as /proc/<pid>/stat counts CPU time (USER_HZ, 100 on Linux). */
const TICKS_PER_S = 100;

/**
 * Waits until none of the run's live processes used the CPU for `quietMs`
 * (a process just started may still compile and collect for a while), or
 * `limitMs` has passed: then what the kernel says of each is what it waits for.
 * Returns the pids that spun: over the last window, a quarter of a CPU or more.
 */
export async function untilQuiet(running: RunningProgram, quietMs = 500, limitMs = 10_000): Promise<number[]> {
  const until = running.now() + limitMs;
  let busy: number[] = [];
  while (running.now() < until) {
    const pids = running.tree.records().filter((p) => p.endedAt === undefined).map((p) => p.pid);
    const before = pids.map(cpuTicks);
    await sleep(quietMs);
    const used = pids.map((pid, i) => (cpuTicks(pid) ?? before[i] ?? 0) - (before[i] ?? 0));
    if (used.every((t) => t === 0)) return [];
    busy = pids.filter((_, i) => used[i] >= (quietMs / 1000) * TICKS_PER_S / 4);
  }
  return busy;
}
