// The two time limits of a run: the deadline, after which the whole tree is
// killed, and the grace period after the program exits, in which what it
// started may still end by itself before it counts as left behind.
import { setTimeout as sleep } from "node:timers/promises";
import { findMarked, killMarked, type ProcessSnapshot } from "./cleanup.ts";
import type { TreeObserver } from "./tree.ts";

const GRACE_POLL_MS = 5;

/** A deadline that is armed; it kills the run's tree when it strikes. */
export interface Deadline {
  /** Resolves once the deadline struck and the tree was killed. */
  hit: Promise<void>;
  /** Whether it struck. */
  struck(): boolean;
  /** Processes alive when it struck (all were then killed). */
  aliveAtDeadline(): ProcessSnapshot[];
  /** Disarms it. */
  clear(): void;
}

/** Arms a deadline of `ms` for the run of root `pid`, marked `marker`, watched by `tree`. */
export function armDeadline(ms: number, pid: number, marker: string, tree: TreeObserver): Deadline {
  let struck = false;
  let alive: ProcessSnapshot[] = [];
  let onHit: () => void = () => {};
  const hit = new Promise<void>((resolve) => (onHit = resolve));
  const timer = setTimeout(async () => {
    struck = true;
    tree.sample();
    alive = aliveOf(tree, marker);
    await killMarked(marker, { group: pid, pids: alive.map((p) => p.pid) });
    onHit();
  }, ms);
  return { hit, struck: () => struck, aliveAtDeadline: () => alive, clear: () => clearTimeout(timer) };
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
