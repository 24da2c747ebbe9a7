// Watches a process tree from the kernel's side while a program runs: which
// processes exist, who their parent is, and when each is alive, a zombie, gone.
import { execFileSync } from "node:child_process";
import { isLoaderHelper } from "./_loader.ts";
import {
  CLOCK_TICKS_PER_SECOND,
  environIncludes,
  hasProc,
  listPids,
  openStat,
  readArgv,
  readStat,
  type StatReader,
  readThreadIds,
  readThreadName,
} from "./_proc.ts";

/** How often /proc is sampled, in ms. */
export const PROC_SAMPLE_MS = 4;
/** After its first samples, a process's argv is read again every this many samples. */
const ARGV_EVERY = 25;
/**
 * With the run's cgroup to list its processes, all of /proc is listed only on
 * every this many samples: for what the cgroup does not list, a child that
 * became a zombie before any sample saw it alive, a process in a nested run's
 * group, or one that moved to another cgroup (which root may do).
 */
const LIST_ALL_EVERY = 5;
/** At most this many processes' stat files are held open (beyond, they are opened at each read). */
const MAX_OPEN_STATS = 256;
/** How often `ps` is sampled where there is no /proc, in ms (each call costs ~10 ms). */
export const PS_SAMPLE_MS = 50;

/** A change of parent seen by the observer, as when an orphan is adopted. */
export interface ParentChange {
  /** The new parent's pid. */
  ppid: number;
  /** When the change was first seen, in ms since the run started. */
  at: number;
}

/** One thread of a process, as seen in /proc/<pid>/task. Times are ms since the run started. */
export interface ThreadRecord {
  tid: number;
  /** Its name (`comm`): Node names its own threads, and on Node 22 and later a worker thread is "WorkerThread". */
  name: string;
  /** The end of the first sample in which it was listed. */
  firstSeen: number;
  /** The start of the last sample in which it was listed. */
  lastSeen: number;
  /** The first sample in which it was no longer listed while its process still was; undefined if it lasted as long as its process. */
  endedAt: number | undefined;
}

/** Everything observed about one process of the tree. Times are ms since the run started. */
export interface ProcessRecord {
  pid: number;
  /** The parent when the process was first seen. */
  ppid: number;
  /** Later changes of parent (adoption), in order. Empty if the parent never changed. */
  parents: ParentChange[];
  /** The argument vector, as last read while the process was alive. */
  argv: string[];
  /** Process group and session ids, as last seen alive (a process that called setsid has its own). */
  pgrp: number;
  session: number;
  /** Creation time from the kernel's start time (10 ms resolution), relative to the run. */
  createdAt: number;
  /** The end of the first sample in which the process was seen: it surely existed then. */
  firstSeen: number;
  /** The start of the last sample in which it was alive (not a zombie): it surely was then. */
  lastAlive: number | undefined;
  /** The first sample after lastAlive: it was a zombie or gone by then. */
  endedAt: number | undefined;
  /** First and last samples in which it was a zombie (exited, not yet reaped). */
  zombieFrom: number | undefined;
  zombieUntil: number | undefined;
  /** The first sample in which it no longer existed (reaped). */
  goneAt: number | undefined;
  /** The state letter last seen: R, S, D, Z, T, ... */
  state: string;
  /** Kernel start time in ticks, used to tell a reused pid from the original. */
  startTicks: number;
  /** Its threads, main thread included, when the observer was asked to list them (`threads`). */
  threads?: ThreadRecord[];
}

/** What an observer could see, and what it could not. */
export interface ObserverInfo {
  source: "proc" | "ps";
  sampleMs: number;
  /** What this source cannot see, in words, for messages. Empty for /proc. */
  lost: string[];
  /** How many samples were taken. */
  samples: number;
}

/** Options of {@link observeTree}. */
export interface ObserveOptions {
  /** A unique text in the environment of every process of the run (its run id). */
  marker?: string;
  /** Clock giving ms since the run started. */
  clock: () => number;
  /** Force a source; by default /proc where it exists, else `ps`. */
  source?: "proc" | "ps";
  /** The time the root was spawned, by the clock, to place kernel start times. */
  spawnedAt?: number;
  /** Whether a process is in the run's own cgroup (which nothing started in the run can leave). */
  member?: (pid: number) => boolean;
  /**
   * The live processes in the run's cgroup (zombies leave it), listed instead
   * of all of /proc in most samples; those of a group below it (a nested run's)
   * may be left to the samples that list all of /proc.
   */
  members?: () => number[];
  /** How often to sample /proc, in ms (default PROC_SAMPLE_MS; ps is sampled every PS_SAMPLE_MS at most). */
  sampleMs?: number;
  /** Also list the threads of every process alive, in each sample (/proc only). */
  threads?: boolean;
}

/** A running observer. */
export interface TreeObserver {
  /** Processes of the tree seen alive in the latest sample. */
  alive(): ProcessRecord[];
  /** Every record so far (a copy is not made: do not mutate). */
  records(): ProcessRecord[];
  /** Takes one sample now. */
  sample(): void;
  /** Takes a last sample, stops sampling and returns every record, root first. */
  stop(): ProcessRecord[];
  info: ObserverInfo;
}

interface Seen {
  pid: number;
  ppid: number;
  state: string;
  pgrp: number;
  session: number;
  startTicks: number;
}

/** Starts observing the tree rooted at `rootPid` (plus any process carrying the marker, or in the run's cgroup). */
export function observeTree(rootPid: number, options: ObserveOptions): TreeObserver {
  const source = options.source ?? (hasProc() ? "proc" : "ps");
  const clock = options.clock;
  const byPid = new Map<number, ProcessRecord>();
  const all: ProcessRecord[] = [];
  const ignored = new Set<number>();
  const info: ObserverInfo = {
    source,
    sampleMs: source === "proc" ? options.sampleMs ?? PROC_SAMPLE_MS : Math.max(PS_SAMPLE_MS, options.sampleMs ?? 0),
    lost: source === "proc" ? [] : [
      "no /proc: sampled with ps every 50 ms, so processes shorter than that may be missed",
      "creation times are first-seen times, not kernel start times",
      "processes that left the tree (new session, parent gone) are followed only while their parent is known",
    ],
    samples: 0,
  };
  let rootTicks: number | undefined;
  let stopped = false;

  function isLive(pid: number): boolean {
    const r = byPid.get(pid);
    return r !== undefined && r.goneAt === undefined;
  }

  function belongs(s: Seen): boolean {
    if (s.pid === rootPid) return true;
    const member = isLive(s.ppid) ||
      (options.marker !== undefined && source === "proc" && environIncludes(s.pid, options.marker)) ||
      (source === "proc" && options.member?.(s.pid) === true);
    return member && !isLoaderHelper(readArgvOf(s.pid) ?? []);
  }

  function track(s: Seen, now: number): ProcessRecord {
    if (s.pid === rootPid && rootTicks === undefined) rootTicks = s.startTicks;
    const ticksAfterRoot = rootTicks === undefined ? 0 : s.startTicks - rootTicks;
    const createdAt = source === "proc"
      ? (options.spawnedAt ?? 0) + ticksAfterRoot * (1000 / CLOCK_TICKS_PER_SECOND)
      : now;
    const r: ProcessRecord = {
      pid: s.pid, ppid: s.ppid, parents: [], argv: readArgvOf(s.pid) ?? [],
      pgrp: s.pgrp, session: s.session, createdAt, firstSeen: now,
      lastAlive: undefined, endedAt: undefined, zombieFrom: undefined, zombieUntil: undefined,
      goneAt: undefined, state: s.state, startTicks: s.startTicks,
    };
    byPid.set(s.pid, r);
    all.push(r);
    return r;
  }

  // A process's argv changes at exec, soon after it is first seen: read it on
  // every sample at first, then on every ARGV_EVERY-th, which saves most of
  // the reads of a long run.
  const argvSamples = new Map<number, number>();
  function argvDue(pid: number): boolean {
    const n = (argvSamples.get(pid) ?? 0) + 1;
    argvSamples.set(pid, n);
    return n <= ARGV_EVERY || n % ARGV_EVERY === 0;
  }

  function update(r: ProcessRecord, s: Seen, now: number): void {
    const last = r.parents.at(-1)?.ppid ?? r.ppid;
    if (s.ppid !== last) r.parents.push({ ppid: s.ppid, at: now });
    r.state = s.state;
    if (s.state === "Z") {
      r.zombieFrom ??= now;
      r.zombieUntil = now;
      r.endedAt ??= now;
    } else {
      r.lastAlive = now;
      // Seen between fork and setsid(), a process still shows its parent's group.
      r.pgrp = s.pgrp;
      r.session = s.session;
      const argv = argvDue(s.pid) ? readArgvOf(s.pid) : undefined;
      if (argv && argv.length > 0) r.argv = argv;
      if (options.threads && source === "proc") updateThreads(r, now);
    }
  }

  // A thread names itself soon after it starts, if at all: its name is read
  // in each of its first samples, then on every ARGV_EVERY-th, as argv is.
  const threadSamples = new Map<ThreadRecord, number>();
  function updateThreads(r: ProcessRecord, now: number): void {
    const tids = new Set(readThreadIds(r.pid));
    // Read as the process ended: nothing is known of its threads' ends from that.
    if (tids.size === 0) return;
    const threads = (r.threads ??= []);
    const live = new Map<number, ThreadRecord>();
    for (const t of threads) {
      if (t.endedAt !== undefined) continue;
      if (tids.has(t.tid)) {
        live.set(t.tid, t);
      } else {
        t.endedAt = now;
        threadSamples.delete(t);
      }
    }
    for (const tid of tids) {
      let t = live.get(tid);
      if (!t) threads.push(t = { tid, name: "", firstSeen: now, lastSeen: now, endedAt: undefined });
      t.lastSeen = now;
      const n = (threadSamples.get(t) ?? 0) + 1;
      threadSamples.set(t, n);
      if (n <= ARGV_EVERY || n % ARGV_EVERY === 0) t.name = readThreadName(r.pid, tid) ?? t.name;
    }
  }

  // A process first seen between fork and exec still shows its parent's argv;
  // one that then turns out to be the loader's helper is no part of the program.
  function dropIfHelper(r: ProcessRecord): void {
    if (!isLoaderHelper(r.argv)) return;
    closeStat(r.pid);
    byPid.delete(r.pid);
    all.splice(all.indexOf(r), 1);
    ignored.add(r.pid);
  }

  function markGone(r: ProcessRecord, now: number): void {
    argvSamples.delete(r.pid);
    closeStat(r.pid);
    r.goneAt = now;
    r.endedAt ??= now;
    byPid.delete(r.pid);
  }

  function readArgvOf(pid: number): string[] | undefined {
    if (source === "proc") return readArgv(pid);
    return psArgs.get(pid);
  }

  let psArgs = new Map<number, string[]>();

  // The stat files of the processes followed, held open: reading one again is
  // cheaper than opening it, and it fails once that process is reaped.
  const stats = new Map<number, StatReader>();
  function statOf(pid: number): Seen | undefined {
    const open = stats.get(pid);
    if (open) return open.read();
    if (byPid.has(pid) && stats.size < MAX_OPEN_STATS) {
      const reader = openStat(pid);
      if (reader) {
        stats.set(pid, reader);
        return reader.read();
      }
    }
    return readStat(pid);
  }
  function closeStat(pid: number): void {
    stats.get(pid)?.close();
    stats.delete(pid);
  }

  // Pids judged not to belong are not read again while they stay listed: with
  // pids allocated in sequence, one cannot be reused between two samples.
  // With a cgroup, most samples read only its members and the processes
  // already followed (a zombie among them).
  function snapshot(): Seen[] {
    if (source !== "proc") return psSnapshot();
    const listAll = !options.members || info.samples % LIST_ALL_EVERY === 1;
    const listed = listAll ? listPids() : new Set([...options.members!(), ...byPid.keys()]);
    const seen: Seen[] = [];
    const still = new Set<number>();
    for (const pid of listed) {
      if (ignored.has(pid)) {
        still.add(pid);
        continue;
      }
      const s = statOf(pid);
      if (s) seen.push(s);
    }
    if (listAll) for (const pid of ignored) if (!still.has(pid)) ignored.delete(pid);
    return seen;
  }

  function psSnapshot(): Seen[] {
    let text = "";
    try {
      text = execFileSync("ps", ["-A", "-o", "pid=,ppid=,pgid=,stat=,args="], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      });
    } catch {
      return [];
    }
    const seen: Seen[] = [];
    psArgs = new Map();
    for (const line of text.split("\n")) {
      const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s?(.*)$/.exec(line);
      if (!m) continue;
      const pid = Number(m[1]);
      psArgs.set(pid, m[5].split(" "));
      seen.push({
        pid, ppid: Number(m[2]), pgrp: Number(m[3]), session: 0,
        state: m[4][0], startTicks: 0,
      });
    }
    return seen;
  }

  function sample(): void {
    if (stopped) return;
    const now = clock();
    info.samples++;
    const seen = snapshot();
    const present = new Set<number>();
    const unknown: Seen[] = [];
    for (const s of seen) {
      const r = byPid.get(s.pid);
      if (r && r.startTicks !== s.startTicks) markGone(r, now);
      if (byPid.has(s.pid)) {
        present.add(s.pid);
        const known = byPid.get(s.pid)!;
        update(known, s, now);
        dropIfHelper(known);
      } else if (!ignored.has(s.pid)) {
        unknown.push(s);
      }
    }
    for (const r of [...byPid.values()]) {
      if (!present.has(r.pid)) markGone(r, now);
    }
    // A new child may be listed before its new parent: repeat until nothing joins.
    // In listing order (by pid), so that a parent and the child it just forked are recorded parent first.
    let joined = true;
    while (joined && unknown.length > 0) {
      joined = false;
      for (let i = 0; i < unknown.length;) {
        const s = unknown[i];
        if (!belongs(s)) {
          i++;
          continue;
        }
        update(track(s, now), s, now);
        unknown.splice(i, 1);
        joined = true;
      }
    }
    for (const s of unknown) ignored.add(s.pid);
    // The sample took time (more on a loaded machine): a process first seen in
    // it surely existed by the sample's end, not necessarily at its start.
    const end = clock();
    for (const r of all) {
      if (r.firstSeen === now) r.firstSeen = end;
      for (const t of r.threads ?? []) if (t.firstSeen === now) t.firstSeen = end;
    }
  }

  const timer = setInterval(sample, info.sampleMs);
  sample();

  return {
    info,
    sample,
    alive: () => all.filter((r) => r.goneAt === undefined && r.state !== "Z"),
    records: () => all,
    stop() {
      sample();
      stopped = true;
      clearInterval(timer);
      for (const pid of [...stats.keys()]) closeStat(pid);
      return all;
    },
  };
}

/** The parent of `p` as last observed: after any adoption, the new one. */
export function currentParent(p: ProcessRecord): number {
  return p.parents.at(-1)?.ppid ?? p.ppid;
}

/** Every parent `p` was seen with, in order, for messages: "4242, then 1". */
export function parentHistory(p: ProcessRecord): string {
  return [p.ppid, ...p.parents.map((c) => c.ppid)].join(", then ");
}
