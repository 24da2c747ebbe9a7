// What the processes of a run were doing when its deadline struck, from the
// kernel's side: each one's state, where it slept (/proc/<pid>/wchan), whether
// it used the CPU lately, and the pipes and sockets that join it to the others.
// From that, in words: "reading a pipe", "waiting for a child", "stopped by a
// signal", and a deadlock when every process waits and each can be woken only
// by another of them.
import { readFileSync } from "node:fs";
import { isLoaderHelper } from "./_loader.ts";
import { CLOCK_TICKS_PER_SECOND, readArgv, readChannels, readStat, readWchan } from "./_proc.ts";
import { shortCommand } from "./cleanup.ts";

/** CPU ticks at one moment (ms on Date.now()), by pid, to tell later which processes did next to nothing since. */
export interface CpuSample {
  at: number;
  byPid: Map<number, { startTicks: number; cpuTicks: number }>;
}

/**
 * The share of the time since the sample a process may have used the CPU and
 * still count as idle: V8 collects garbage now and then in a process that waits.
 */
const IDLE_CPU_SHARE = 0.05;

/** What one process was doing, as far as /proc tells. */
export interface Doing {
  pid: number;
  /** For messages: the program file it runs (`worker.ts`), else its command (`sh`). */
  name: string;
  /** State letter: R running, S sleeping, D disk, T stopped, ... */
  state: string;
  /** Where in the kernel it slept, such as `do_epoll_wait`; "" when running or unknown. */
  wchan: string;
  /** Whether it used next to no CPU time since the earlier sample (undefined: no earlier sample). */
  idle: boolean | undefined;
  /** In words: "idle in its event loop", "reading a pipe", "stopped by a signal", ... */
  what: string;
  /** Other processes of the run it shares a pipe or socket with, or is parent or child of. */
  linked: number[];
  /** Whether it sleeps on a plain timer (sleep(1)), which will wake it: then it is not stuck for good. */
  timer: boolean;
  /** Whether it is still starting: its TypeScript loader waits for its helper (esbuild) to answer. */
  starting: boolean;
}

function isNode(argv: string[]): boolean {
  const exe = argv[0] ?? "";
  return exe === process.execPath || /(?:^|\/)node$/.test(exe);
}

/** Whether `pid` waits in the kernel for a child that is the loader's helper: tsx checks esbuild's version at start. */
function waitsForLoader(pid: number): boolean {
  let children: string[];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "latin1").trim().split(" ").filter(Boolean);
  } catch {
    return false;
  }
  return children.some((c) => isLoaderHelper(readArgv(Number(c)) ?? []));
}

/** Reads the CPU time of `pids` now. */
export function sampleCpu(pids: number[]): CpuSample {
  const byPid: CpuSample["byPid"] = new Map();
  for (const pid of pids) {
    const s = readStat(pid);
    if (s) byPid.set(pid, { startTicks: s.startTicks, cpuTicks: s.cpuTicks });
  }
  return { at: Date.now(), byPid };
}

/** Kernel wait channels in words; matched as prefixes, since names vary across kernels. */
const WAITS: [RegExp, string][] = [
  [/epoll|poll|select/, "idle in its event loop, waiting for an event (a message, a child's exit, data)"],
  [/pipe_read/, "blocked reading a pipe that nobody writes to"],
  [/pipe_write/, "blocked writing to a full pipe that nobody reads"],
  [/do_wait/, "waiting for a child process to exit"],
  [/signal_stop|do_signal_stop/, "stopped by a signal (SIGSTOP or SIGTSTP)"],
  [/futex/, "blocked on a lock or Atomics.wait()"],
  [/nanosleep|hrtimer/, "sleeping on a timer"],
  // Node's "pipe" stdio is a socket pair, so a child reading what Node never writes waits here.
  [/unix_stream_read|unix_dgram_recv/, "blocked reading a pipe or socket that nobody writes to"],
  [/unix_stream|sk_wait|tcp_|inet_|udp_|skb_recv|wait_for_connect/, "blocked on a socket, waiting for data or a connection"],
  [/lock|flock|locks_/, "waiting for a file lock"],
];

/**
 * What `pid` is doing now, given `links` (other processes of the run it is
 * joined to), an earlier CPU sample, its argv and how many children of it the run has.
 */
export function doingOf(
  pid: number,
  links: number[],
  before?: CpuSample,
  argv: string[] = [],
  children = 0,
): Doing | undefined {
  const s = readStat(pid);
  if (!s) return undefined;
  const wchan = s.state === "R" ? "" : readWchan(pid);
  const then = before?.byPid.get(pid);
  const allowed = before ? ((Date.now() - before.at) * IDLE_CPU_SHARE * CLOCK_TICKS_PER_SECOND) / 1000 : 0;
  const idle = then && then.startTicks === s.startTicks ? s.cpuTicks - then.cpuTicks <= allowed : undefined;
  let what: string;
  if (s.state === "T") what = "stopped by a signal (SIGSTOP or SIGTSTP)";
  else if (s.state === "t") what = "stopped by a debugger";
  else if (s.state === "Z") what = "a zombie: it exited, and its parent has not collected its exit status";
  else if (s.state === "R" || (idle === false && !wchan)) what = "running (using the CPU)";
  else if (s.state === "D") what = "waiting on the disk";
  else what = WAITS.find(([re]) => re.test(wchan))?.[1] ?? (wchan ? `sleeping in the kernel (${wchan})` : "sleeping");
  // An event loop's own timers do not show (tsx keeps one in every process), so only a plain sleep counts.
  const timer = /nanosleep|hrtimer/.test(wchan);
  // A Node program blocks in wait() only in a synchronous spawn, whose child is in the run;
  // with none there, it is tsx starting (it runs esbuild once, synchronously).
  const starting = /do_wait/.test(wchan) && (waitsForLoader(pid) || (children === 0 && isNode(argv)));
  if (starting) what = "still starting: its TypeScript loader is waiting for esbuild (is the machine busy?)";
  if (idle === false && s.state !== "R" && s.state !== "T") what += ", though it used the CPU lately";
  const words = shortCommand(argv).split(" ");
  const name = words.find((w) => /\.[cm]?[jt]s$/.test(w)) ?? words[0] ?? "";
  return { pid, name, state: s.state, wchan, idle, what, linked: links, timer, starting };
}

/**
 * What each of `procs` (the run's live processes, with their parents) is doing,
 * and which of the others it is joined to: parent and child, or a pipe or
 * socket that both hold open (other than the pipes to the harness). A socket
 * pair (fork's IPC channel) has a kernel id per end, so only parent and child
 * tell that link.
 */
export function doingAll(procs: { pid: number; ppid: number; argv?: string[] }[], before?: CpuSample): Doing[] {
  const pids = new Set(procs.map((p) => p.pid));
  // The harness holds the other end of the run's stdio pipes, which children share.
  const harness = new Set(readChannels(process.pid));
  const channels = new Map<number, Set<string>>();
  for (const p of procs) channels.set(p.pid, new Set(readChannels(p.pid).filter((c) => !harness.has(c))));
  const out: Doing[] = [];
  for (const p of procs) {
    const links = new Set<number>();
    for (const q of procs) {
      if (q.pid === p.pid) continue;
      if (q.ppid === p.pid || (p.ppid === q.pid && pids.has(q.pid))) links.add(q.pid);
      else if ([...channels.get(p.pid)!].some((c) => channels.get(q.pid)!.has(c))) links.add(q.pid);
    }
    const d = doingOf(p.pid, [...links], before, p.argv, procs.filter((q) => q.ppid === p.pid).length);
    if (d) out.push(d);
  }
  return out;
}

/** States in which a process waits for something another process must do. */
function waits(d: Doing): boolean {
  return d.idle === true && d.state === "S" && !d.timer && !d.starting;
}

/**
 * A sentence naming a deadlock when at least two processes all wait (asleep,
 * next to no CPU used lately, not on a plain timer) and each is joined to
 * another waiting one: each can be woken only by another that waits too.
 */
export function deadlockOf(doing: Doing[]): string | undefined {
  if (doing.length < 2 || !doing.every(waits)) return undefined;
  const ids = new Set(doing.map((d) => d.pid));
  if (!doing.every((d) => d.linked.some((pid) => ids.has(pid)))) return undefined;
  const names = doing.map((d) => `${d.name || "pid"} (pid ${d.pid})`);
  const who = `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  return `A deadlock: ${who} ${doing.length === 2 ? "both" : "all"} waited, used next to no CPU, and each could be woken only by another of them ` +
    "(its parent, its child, or the other end of a pipe between them), unless a timer was still to fire. " +
    "Each waits for the other to act first.";
}
