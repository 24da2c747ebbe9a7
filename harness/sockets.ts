// Which sockets each process holds, read from the kernel: the socket tables in
// /proc/net give each TCP and UDP socket's ports and inode, and the links in
// /proc/<pid>/fd say which processes hold which inode. A test can so observe
// "this connection is served by that child", not believe it. Linux only.
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";

/** One TCP or UDP socket that a process holds open. */
export interface HeldSocket {
  protocol: "tcp" | "udp";
  /** Whether it came from the IPv6 table (which also lists dual-stack sockets). */
  ipv6: boolean;
  localPort: number;
  /** The peer's port; 0 for a listening TCP socket or an unconnected UDP socket. */
  remotePort: number;
  /** The kernel's inode number of the socket, as /proc writes it. */
  inode: string;
}

const TABLES = [
  { file: "/proc/net/tcp", protocol: "tcp", ipv6: false },
  { file: "/proc/net/tcp6", protocol: "tcp", ipv6: true },
  { file: "/proc/net/udp", protocol: "udp", ipv6: false },
  { file: "/proc/net/udp6", protocol: "udp", ipv6: true },
] as const;

/** Whether this machine shows its sockets in /proc (Linux does). */
export function canSeeSockets(): boolean {
  return existsSync(TABLES[0].file);
}

/** The port of an address as /proc/net writes it ("0100007F:1F90" is port 8080). */
function portOf(address: string): number {
  return parseInt(address.slice(address.lastIndexOf(":") + 1), 16);
}

/** Every TCP and UDP socket the kernel lists now, by inode. */
function socketTable(): Map<string, HeldSocket> {
  const byInode = new Map<string, HeldSocket>();
  for (const { file, protocol, ipv6 } of TABLES) {
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue; // No IPv6 on this machine, for one.
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      // Inode 0: a connection in TIME_WAIT, which no process holds any more.
      if (f.length < 10 || f[9] === "0") continue;
      byInode.set(f[9], { protocol, ipv6, localPort: portOf(f[1]), remotePort: portOf(f[2]), inode: f[9] });
    }
  }
  return byInode;
}

/** The socket inodes among the open files of `pid`; empty if it is gone or not ours to read. */
function socketInodes(pid: number): string[] {
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  const inodes: string[] = [];
  for (const fd of fds) {
    let target = "";
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // Closed meanwhile.
    }
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode !== undefined) inodes.push(inode);
  }
  return inodes;
}

/**
 * The TCP and UDP sockets each of `pids` holds now, or undefined where the
 * kernel does not show them (see {@link canSeeSockets}). A process that is gone
 * holds none. Other sockets (Unix, such as an IPC channel) are left out.
 */
export function socketsHeld(pids: number[]): Map<number, HeldSocket[]> | undefined {
  if (!canSeeSockets()) return undefined;
  const table = socketTable();
  return new Map(pids.map((pid) => [pid, socketInodes(pid).flatMap((inode) => table.get(inode) ?? [])]));
}
