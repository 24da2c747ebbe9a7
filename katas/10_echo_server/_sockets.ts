// Private helper of kata 10's tests: which processes hold the server's end of
// a TCP connection, read from the kernel (/proc/net/tcp and /proc/<pid>/fd),
// so that "each client has a process of its own" is observed, not believed.
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";

const TCP_TABLES = ["/proc/net/tcp", "/proc/net/tcp6"];

/** Whether this machine lets the tests see sockets in /proc (Linux). */
export function canSeeSockets(): boolean {
  return existsSync(TCP_TABLES[0]);
}

/** The port of an address in /proc/net/tcp ("0100007F:1F90"), as a number. */
function portOf(address: string): number {
  return parseInt(address.slice(address.lastIndexOf(":") + 1), 16);
}

/**
 * The inode of the socket whose local port is `localPort` and whose peer's port
 * is `remotePort` (the server's end of a client's connection), or undefined.
 */
function socketInode(localPort: number, remotePort: number): string | undefined {
  for (const table of TCP_TABLES) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      if (portOf(f[1]) === localPort && portOf(f[2]) === remotePort && f[9] !== "0") return f[9];
    }
  }
  return undefined;
}

/** Whether process `pid` has the socket `inode` open. */
function holds(pid: number, inode: string): boolean {
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  const wanted = `socket:[${inode}]`;
  return fds.some((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`) === wanted;
    } catch {
      return false;
    }
  });
}

/**
 * Which of `pids` hold the server's end of the connection from client port
 * `clientPort` to server port `serverPort`. Empty if the connection is gone.
 */
export function holdersOf(serverPort: number, clientPort: number, pids: number[]): number[] {
  const inode = socketInode(serverPort, clientPort);
  return inode === undefined ? [] : pids.filter((pid) => holds(pid, inode));
}
