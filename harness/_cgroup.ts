// A control group (cgroup v2) for each run, where Linux lets the harness make
// one: every process the program starts stays in it, whatever it does (a new
// session, an empty environment, a parent that exited before anyone looked),
// so killing the group kills them all, with no window in which one can slip
// away. Made inside the harness's own cgroup, which the user owns on a desktop
// (systemd delegates it) and root owns in a container; where that is not
// writable, runs fall back to markers and the observed tree.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { hasProc } from "./_proc.ts";

/** Prefix of the cgroups the harness makes; the rest of the name is the run's id. */
export const CGROUP_PREFIX = "kata-";

/** A run's cgroup. */
export interface RunGroup {
  /** Its folder under the cgroup2 mount. */
  dir: string;
  /** Its path as /proc/<pid>/cgroup shows it ("0::<path>"). */
  path: string;
  /** Moves a process into it; false if Linux refused. */
  add(pid: number): boolean;
  /** Whether `pid` is in it or in a group below it (a nested run's). */
  has(pid: number): boolean;
  /** Every process in it and below it. */
  pids(): number[];
  /** The processes in it, not in a group below it (one read, where pids() also lists the folder). */
  procs(): number[];
  /** CPU time its processes used, those below it and those gone included (cpu.stat), in ms; undefined if unreadable. */
  cpuMs(): number | undefined;
  /** Kills every process in it and below it (they may take a moment to die). */
  kill(): void;
  /** Removes it once it is empty; false while processes are still in it. */
  remove(): boolean;
}

let base: { mount: string; path: string } | null | undefined;

/** The cgroup2 mount point and this process's own cgroup, or null where there is none. */
export function ownCgroup(): { mount: string; path: string } | null {
  if (base !== undefined) return base;
  base = null;
  if (!hasProc()) return base;
  try {
    const path = readFileSync("/proc/self/cgroup", "utf8").split("\n").find((l) => l.startsWith("0::"))?.slice(3);
    // mountinfo: "id parent major:minor root mountpoint options ... - fstype source super".
    const mount = readFileSync("/proc/self/mountinfo", "utf8").split("\n")
      .map((l) => l.split(" "))
      .find((f) => f[f.indexOf("-") + 1] === "cgroup2")?.[4];
    if (path !== undefined && mount !== undefined) base = { mount, path };
  } catch {
    // No cgroup2 here.
  }
  return base;
}

/** The folder of this process's own cgroup, or undefined. */
export function ownCgroupDir(): string | undefined {
  const own = ownCgroup();
  return own ? join(own.mount, own.path) : undefined;
}

/** Set once making a group failed: Linux will not let this process, so it stops trying. */
let refused = false;

/** Makes a cgroup named after `runId` inside this process's own; undefined where Linux does not allow it. */
export function makeRunGroup(runId: string): RunGroup | undefined {
  const own = ownCgroup();
  if (!own || refused) return undefined;
  const dir = join(own.mount, own.path, CGROUP_PREFIX + runId);
  try {
    mkdirSync(dir);
  } catch {
    refused = true;
    return undefined;
  }
  return groupAt(dir, join(own.path, CGROUP_PREFIX + runId));
}

/** A handle on the group at `dir` (whose /proc path is `path`). */
export function groupAt(dir: string, path: string): RunGroup {
  return {
    dir,
    path,
    add(pid) {
      try {
        writeFileSync(join(dir, "cgroup.procs"), String(pid));
        return true;
      } catch {
        refused = true;
        return false;
      }
    },
    has(pid) {
      try {
        const line = readFileSync(`/proc/${pid}/cgroup`, "utf8").split("\n").find((l) => l.startsWith("0::"));
        const p = line?.slice(3) ?? "";
        return p === path || p.startsWith(path + "/");
      } catch {
        return false;
      }
    },
    pids: () => subtree(dir).flatMap(procsOf),
    procs: () => procsOf(dir),
    cpuMs() {
      try {
        const usec = /^usage_usec (\d+)$/m.exec(readFileSync(join(dir, "cpu.stat"), "utf8"))?.[1];
        return usec === undefined ? undefined : Number(usec) / 1000;
      } catch {
        return undefined;
      }
    },
    kill() {
      if (existsSync(join(dir, "cgroup.kill"))) {
        try {
          writeFileSync(join(dir, "cgroup.kill"), "1");
          return;
        } catch {
          // Fall back to one signal a process.
        }
      }
      for (const d of subtree(dir)) {
        try {
          writeFileSync(join(d, "cgroup.freeze"), "1");
        } catch {
          // Linux before 5.2: no freezer in cgroup v2.
        }
      }
      for (const pid of subtree(dir).flatMap(procsOf)) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // Gone.
        }
      }
    },
    remove() {
      // Deepest first: a group with groups below it cannot be removed.
      for (const d of subtree(dir).reverse()) {
        try {
          rmdirSync(d);
        } catch {
          if (existsSync(d)) return false;
        }
      }
      return true;
    },
  };
}

/** `dir` and every cgroup folder below it, parents first. */
function subtree(dir: string): string[] {
  const out = [dir];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const e of readdirSync(out[i], { withFileTypes: true })) if (e.isDirectory()) out.push(join(out[i], e.name));
    } catch {
      // Removed meanwhile.
    }
  }
  return out;
}

function procsOf(dir: string): number[] {
  try {
    return readFileSync(join(dir, "cgroup.procs"), "utf8").split("\n").filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
