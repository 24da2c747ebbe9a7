// Private helper of kata 16's tests: what the kernel says about a process's
// open files, its memory, and the Unix socket connections between processes.
// Node's "pipe" in spawn's stdio is a Unix socket pair, so a link in
// /proc/<pid>/fd reads `socket:[inode]`, and which socket is connected to
// which is known to `ss -x` (iproute2), which asks the kernel.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** Where a file descriptor points: `socket:[123]`, `pipe:[456]`, a path; undefined if closed or gone. */
export function fdTarget(pid: number, fd: number | string): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/fd/${fd}`);
  } catch {
    return undefined;
  }
}

/** Every open file descriptor of `pid` and where it points (empty if it is gone). */
export function openFiles(pid: number): Map<number, string> {
  const out = new Map<number, string>();
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return out;
  }
  for (const fd of fds) {
    const target = fdTarget(pid, fd);
    if (target !== undefined) out.set(Number(fd), target);
  }
  return out;
}

/** The inode of a `socket:[123]` or `pipe:[123]` target, else undefined. */
export function inodeOf(target: string | undefined): string | undefined {
  return target === undefined ? undefined : /^(?:socket|pipe):\[(\d+)\]$/.exec(target)?.[1];
}

/** The peak resident memory of `pid` so far (VmHWM), in KiB; undefined if it is gone. */
export function peakRssKb(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** One Unix stream socket as `ss` shows it. */
export interface UnixSocket {
  inode: string;
  /** The inode of the socket at the other end; "0" when that end is closed. */
  peer: string;
  /** Bytes received and not yet read by whoever holds this end. */
  unread: number;
}

/** Every Unix stream socket by inode, from `ss -x`; undefined where ss is missing. */
export function unixSockets(): Map<string, UnixSocket> | undefined {
  let text: string;
  try {
    text = execFileSync("ss", ["-xnH"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 });
  } catch {
    return undefined;
  }
  const out = new Map<string, UnixSocket>();
  for (const line of text.split("\n")) {
    // u_str ESTAB 0 0 * 152414 * 152415   (a named socket has its path instead of *)
    const f = line.trim().split(/\s+/);
    if (f[0] !== "u_str" || f.length < 8) continue;
    out.set(f[5], { inode: f[5], peer: f[7], unread: Number(f[2]) });
  }
  return out;
}
