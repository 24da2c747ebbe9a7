// Which processes hold a UDP socket, read from the kernel (/proc), not from
// anything a program printed. Linux only: elsewhere the answer is undefined.
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";

/** Inode of each open UDP socket (IPv4 and IPv6) to its local port. */
function udpSockets(): Map<string, number> {
  const byInode = new Map<string, number>();
  for (const table of ["/proc/net/udp", "/proc/net/udp6"]) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      const port = parseInt(cols[1].split(":")[1], 16);
      byInode.set(cols[9], port);
    }
  }
  return byInode;
}

/** The local ports of the UDP sockets each process holds, or undefined without /proc. */
export function udpPortsHeld(pids: number[]): Map<number, number[]> | undefined {
  if (!existsSync("/proc/net/udp")) return undefined;
  const sockets = udpSockets();
  const held = new Map<number, number[]>();
  for (const pid of pids) {
    const ports: number[] = [];
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      // Gone, or not ours to read.
    }
    for (const fd of fds) {
      let target = "";
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      const port = inode === undefined ? undefined : sockets.get(inode);
      if (port !== undefined) ports.push(port);
    }
    held.set(pid, ports);
  }
  return held;
}
