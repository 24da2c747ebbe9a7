// Kills everything a run started, even processes that left its process group
// or session, by the marker every process of the run carries in its environment.
import { setTimeout as sleep } from "node:timers/promises";
import { isLoaderHelper } from "./_loader.ts";
import { environIncludes, hasProc, isAliveAs, listPids, readArgv, readStat } from "./_proc.ts";

/** How long clean-up keeps trying before it reports survivors, in ms. */
export const CLEANUP_LIMIT_MS = 3000;
const RESCAN_MS = 10;
/** Consecutive scans that must find nothing before clean-up believes it. */
const EMPTY_SCANS = 3;

/** A process as it was when the harness looked at it. */
export interface ProcessSnapshot {
  pid: number;
  ppid: number;
  /** State letter: R running, S sleeping, Z zombie, T stopped, ... */
  state: string;
  argv: string[];
  /** What it was doing, in words, where the harness looked (at a deadline): "reading a pipe", ... */
  doing?: string;
}

/** Options of {@link killMarked}. */
export interface KillOptions {
  /** A process group to kill first (the run's root was started as its leader). */
  group?: number;
  /** Pids to kill as well, for systems without /proc where markers cannot be read. */
  pids?: number[];
  /**
   * Processes the run was seen to own, by pid and kernel start time: each one
   * still alive as that same process is killed too, even if it dropped the
   * marker (a new, empty environment) and left the run's session.
   */
  seen?: { pid: number; startTicks: number }[];
}

/** What clean-up found and whether it succeeded. */
export interface KillReport {
  /** Processes alive (not zombies) when clean-up began. */
  found: ProcessSnapshot[];
  /** Processes still alive when clean-up gave up; empty on success. */
  survivors: ProcessSnapshot[];
}

/**
 * Live (non-zombie) processes whose environment contains `entry` (a run id),
 * including the loader's helpers unless `programOnly` is set.
 */
export function findMarked(entry: string, programOnly = false): ProcessSnapshot[] {
  if (!hasProc()) return [];
  const found: ProcessSnapshot[] = [];
  for (const pid of listPids()) {
    if (pid === process.pid || !environIncludes(pid, entry)) continue;
    const stat = readStat(pid);
    if (!stat || stat.state === "Z") continue;
    const argv = readArgv(pid) ?? [];
    if (programOnly && isLoaderHelper(argv)) continue;
    found.push({ pid, ppid: stat.ppid, state: stat.state, argv });
  }
  return found;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone: nothing to do.
  }
}

/**
 * Stops, then kills, every process carrying the marker, repeating until none is
 * left (a process forking in a loop is frozen by SIGSTOP before it is killed).
 */
export async function killMarked(entry: string, options: KillOptions = {}): Promise<KillReport> {
  const found = findMarked(entry);
  const extra = (options.pids ?? []).filter((pid) => !found.some((p) => p.pid === pid));
  const deadline = Date.now() + CLEANUP_LIMIT_MS;
  let left = found;
  const killed = new Map<number, number | undefined>();
  for (const p of found) killed.set(p.pid, readStat(p.pid)?.startTicks);
  for (const pid of extra) {
    killed.set(pid, readStat(pid)?.startTicks);
    signal(pid, "SIGKILL");
  }
  for (const p of options.seen ?? []) {
    // Only the process that was seen: a pid reused by another is left alone.
    if (killed.has(p.pid) || !isAliveAs(p.pid, p.startTicks)) continue;
    killed.set(p.pid, p.startTicks);
    signal(p.pid, "SIGKILL");
  }
  if (options.group !== undefined) signal(-options.group, "SIGKILL");
  // A fork under way when its parent dies shows up only a moment later, an
  // orphan that carries the marker: one empty scan is not enough.
  let emptyScans = 0;
  while (true) {
    left = findMarked(entry);
    emptyScans = left.length === 0 ? emptyScans + 1 : 0;
    if (emptyScans >= EMPTY_SCANS || Date.now() > deadline) break;
    if (left.length === 0) {
      await sleep(RESCAN_MS);
      continue;
    }
    for (const p of left) killed.set(p.pid, readStat(p.pid)?.startTicks);
    for (const p of left) signal(p.pid, "SIGSTOP");
    for (const p of left) signal(p.pid, "SIGKILL");
    await sleep(RESCAN_MS);
  }
  // A killed process stays in state R while the kernel tears it down, with its
  // environment already unreadable: wait until each one is really dead.
  while (Date.now() <= deadline && [...killed].some(([pid, ticks]) => isAliveAs(pid, ticks))) {
    await sleep(RESCAN_MS);
  }
  const dying = [...killed].filter(([pid, ticks]) => isAliveAs(pid, ticks)).map(([pid]) => pid);
  for (const pid of dying) {
    if (left.some((p) => p.pid === pid)) continue;
    const stat = readStat(pid);
    if (stat) left.push({ pid, ppid: stat.ppid, state: stat.state, argv: readArgv(pid) ?? [] });
  }
  return { found, survivors: left };
}

/**
 * One line a process, for messages: `pid 4242 (sleeping) node task.ts qq`, or
 * with what it was doing: `pid 4242 node task.ts qq: blocked reading a pipe`.
 */
export function describeProcess(p: { pid: number; state: string; argv: string[]; doing?: string }): string {
  if (p.doing) return `pid ${p.pid} ${shortCommand(p.argv)}: ${p.doing}`;
  return `pid ${p.pid} (${stateName(p.state)}) ${shortCommand(p.argv)}`;
}

/** The state letter of /proc in words. */
export function stateName(state: string): string {
  switch (state) {
    case "R": return "running";
    case "S": return "sleeping";
    case "D": return "waiting on disk";
    case "Z": return "zombie";
    case "T": case "t": return "stopped";
    default: return state;
  }
}

/** A command line without the Node loader flags and with paths shortened to file names. */
export function shortCommand(argv: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--import" || a === "--require" || a === "--loader") {
      i++;
      continue;
    }
    if (a.startsWith("--import=") || a.startsWith("--disable-warning") || a.startsWith("--experimental")) continue;
    out.push(i === 0 || a.includes("/") ? a.slice(a.lastIndexOf("/") + 1) : a);
  }
  return out.join(" ");
}
