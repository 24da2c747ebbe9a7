// The two time limits of a run: the deadline, after which the whole tree is
// killed, and the grace period after the program exits, in which what it
// started may still end by itself before it counts as left behind.
import { setTimeout as sleep } from "node:timers/promises";
import { type CpuSample, deadlockOf, doingAll, sampleCpu } from "./_blocked.ts";
import { findMarked, killMarked, type ProcessSnapshot } from "./cleanup.ts";
import type { TreeObserver } from "./tree.ts";

const GRACE_POLL_MS = 5;
/** How long before the deadline the CPU time of each process is read, to tell which were idle since. */
const IDLE_WINDOW_MS = 1000;

/** A deadline that is armed; it kills the run's tree when it strikes. */
export interface Deadline {
  /** Resolves once the deadline struck and the tree was killed. */
  hit: Promise<void>;
  /** Whether it struck. */
  struck(): boolean;
  /** Processes alive when it struck (all were then killed), each with what it was doing. */
  aliveAtDeadline(): ProcessSnapshot[];
  /** A sentence naming a deadlock, when the processes alive at the deadline waited for each other. */
  deadlock(): string | undefined;
  /** Disarms it. */
  clear(): void;
  /** Strikes now (after a short look at who uses the CPU): what each process does is noted, then all are killed. */
  now(): Promise<void>;
}

/**
 * Arms a deadline of `ms` for the run of root `pid`, marked `marker`, watched
 * by `tree`. When it strikes, what each live process was doing is read before
 * `kill` ends them all.
 */
export function armDeadline(
  ms: number,
  tree: TreeObserver,
  marker: string,
  kill: (alive: ProcessSnapshot[]) => Promise<unknown>,
): Deadline {
  let struck = false;
  let alive: ProcessSnapshot[] = [];
  let deadlock: string | undefined;
  let cpuBefore: CpuSample | undefined;
  let onHit: () => void = () => {};
  const hit = new Promise<void>((resolve) => (onHit = resolve));
  const window = Math.min(IDLE_WINDOW_MS, ms / 2);
  const sampleBefore = () => (cpuBefore = sampleCpu(aliveOf(tree, marker).map((p) => p.pid)));
  async function strike(): Promise<void> {
    if (struck) return;
    struck = true;
    clear();
    tree.sample();
    alive = aliveOf(tree, marker);
    const doing = doingAll(alive, cpuBefore);
    for (const p of alive) p.doing = doing.find((d) => d.pid === p.pid)?.what;
    deadlock = deadlockOf(doing);
    await kill(alive);
    onHit();
  }
  const early = setTimeout(sampleBefore, ms - window);
  const timer = setTimeout(strike, ms);
  function clear(): void {
    clearTimeout(early);
    clearTimeout(timer);
  }
  return {
    hit,
    struck: () => struck,
    aliveAtDeadline: () => alive,
    deadlock: () => deadlock,
    clear,
    async now() {
      if (struck) return;
      clear();
      sampleBefore();
      await sleep(window);
      await strike();
    },
  };
}

/**
 * Waits, after the program exited at `exitAt` (ms on the tree's clock), until
 * none of its descendants is left or `graceMs` has passed; returns those left.
 * Stops early, with none, when `stop()` turns true (the deadline struck).
 */
export async function waitOutGrace(
  tree: TreeObserver,
  marker: string,
  root: number,
  until: number,
  now: () => number,
  stop: () => boolean,
): Promise<ProcessSnapshot[]> {
  let leftovers: ProcessSnapshot[] = [];
  while (!stop()) {
    tree.sample();
    leftovers = aliveOf(tree, marker, true).filter((p) => p.pid !== root);
    if (leftovers.length === 0 || now() >= until) return leftovers;
    await sleep(GRACE_POLL_MS);
  }
  return [];
}

/**
 * Processes of the run that are alive, and with `withZombies` also the zombies
 * that a live process of the run has yet to reap. A zombie adopted by an outside
 * process (pid 1, a subreaper) is dead and no longer the program's to reap.
 */
export function aliveOf(tree: TreeObserver, marker: string, withZombies = false): ProcessSnapshot[] {
  const out = new Map<number, ProcessSnapshot>();
  const records = tree.records().filter((r) => r.goneAt === undefined);
  const live = new Set(records.filter((r) => r.state !== "Z").map((r) => r.pid));
  for (const r of records) {
    const ppid = r.parents.at(-1)?.ppid ?? r.ppid;
    if (r.state === "Z" && !(withZombies && live.has(ppid))) continue;
    out.set(r.pid, { pid: r.pid, ppid, state: r.state, argv: r.argv });
  }
  for (const p of findMarked(marker, true)) if (!out.has(p.pid)) out.set(p.pid, p);
  return [...out.values()];
}
