// Low-level readers of Linux's /proc. Every reader returns undefined when the
// process vanished between listing and reading: that race is normal, not an error.
import { closeSync, openSync, readdirSync, readFileSync, readlinkSync, readSync } from "node:fs";

/** One line of /proc/<pid>/stat, the fields the harness uses. */
export interface ProcStat {
  pid: number;
  ppid: number;
  /** One letter: R running, S sleeping, D disk wait, Z zombie, T stopped, ... */
  state: string;
  pgrp: number;
  session: number;
  /** Start time in clock ticks since boot; with pid it identifies a process. */
  startTicks: number;
  /** CPU time used so far (user and system), in clock ticks. */
  cpuTicks: number;
}

/** Clock ticks a second in /proc (USER_HZ); 100 on every Linux build in use. */
export const CLOCK_TICKS_PER_SECOND = 100;

/** Whether this machine has a Linux-style /proc to observe. */
export function hasProc(): boolean {
  try {
    readFileSync("/proc/self/stat");
    return true;
  } catch {
    return false;
  }
}

/** Every numeric entry of /proc, that is every process alive or zombie now. */
export function listPids(): number[] {
  const pids: number[] = [];
  for (const name of readdirSync("/proc")) {
    const code = name.charCodeAt(0);
    if (code >= 48 && code <= 57) pids.push(Number(name));
  }
  return pids;
}

/** Reads /proc/<pid>/stat; undefined once the process is gone. */
export function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "latin1");
  } catch {
    return undefined;
  }
  return parseStat(pid, text);
}

/** Parses a /proc/<pid>/stat line; the command name may hold spaces and parentheses. */
function parseStat(pid: number, text: string): ProcStat {
  const close = text.lastIndexOf(")");
  const fields = text.slice(close + 2).split(" ");
  // fields[0] is field 3 of proc(5): state, ppid, pgrp, session, ..., starttime is field 22.
  return {
    pid,
    state: fields[0],
    ppid: Number(fields[1]),
    pgrp: Number(fields[2]),
    session: Number(fields[3]),
    startTicks: Number(fields[19]),
    cpuTicks: Number(fields[11]) + Number(fields[12]),
  };
}

/** A process's /proc/<pid>/stat held open, to be read again and again. */
export interface StatReader {
  /** The stat as it is now; undefined once the process has been reaped (even if its pid was reused since). */
  read(): ProcStat | undefined;
  close(): void;
}

// Longer than any stat line: 52 numbers and a name of at most 64 bytes.
const statBuffer = Buffer.alloc(2048);

/**
 * Opens /proc/<pid>/stat to read it many times: reading an open file again
 * costs a third of opening, reading and closing it each time (measured by
 * `npm run bench`'s observer line). Undefined if it could not be opened.
 */
export function openStat(pid: number): StatReader | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(`/proc/${pid}/stat`, "r");
  } catch {
    return undefined;
  }
  return {
    read() {
      if (fd === undefined) return undefined;
      try {
        const n = readSync(fd, statBuffer, 0, statBuffer.length, 0);
        return parseStat(pid, statBuffer.toString("latin1", 0, n));
      } catch {
        return undefined;
      }
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

/** Whether `pid` is alive (not a zombie) and still the process that started at `startTicks`. */
export function isAliveAs(pid: number, startTicks: number | undefined): boolean {
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== "Z" && (startTicks === undefined || stat.startTicks === startTicks);
}

/**
 * Where in the kernel a sleeping process waits (/proc/<pid>/wchan), such as
 * `do_epoll_wait`, `pipe_read`, `do_wait`; "" when running or not known.
 */
export function readWchan(pid: number): string {
  try {
    const text = readFileSync(`/proc/${pid}/wchan`, "latin1").trim();
    return text === "0" ? "" : text;
  } catch {
    return "";
  }
}

/** The pipes and sockets a process holds open, as kernel ids such as `pipe:[4242]`. */
export function readChannels(pid: number): string[] {
  const out: string[] = [];
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return out;
  }
  for (const fd of fds) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (target.startsWith("pipe:") || target.startsWith("socket:")) out.push(target);
    } catch {
      // Closed meanwhile.
    }
  }
  return out;
}

/** The thread ids of a process (/proc/<pid>/task), main thread included; empty once it is gone. */
export function readThreadIds(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map(Number);
  } catch {
    return [];
  }
}

/** A thread's name (/proc/<pid>/task/<tid>/comm), which the thread may change; undefined once it is gone. */
export function readThreadName(pid: number, tid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/task/${tid}/comm`, "latin1").trim();
  } catch {
    return undefined;
  }
}

/** The argument vector of a process; empty for zombies and kernel threads. */
export function readArgv(pid: number): string[] | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    const argv = raw.split("\0");
    if (argv.at(-1) === "") argv.pop();
    return argv;
  } catch {
    return undefined;
  }
}

/** Whether the initial environment of a process contains `text` anywhere. */
export function environIncludes(pid: number, text: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, "latin1").includes(text);
  } catch {
    return false;
  }
}
