// What a harness killed by SIGKILL leaves behind (it had no chance to clean up:
// its runs' processes, their cgroups, its temp folders), found and ended by the
// next harness that starts. Everything a harness makes is named after it, by
// pid and kernel start time, so that a harness is known to be dead for sure
// (a reused pid has another start time) and nothing of a live one is touched.
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CGROUP_PREFIX, groupAt, ownCgroup } from "./_cgroup.ts";
import { hasProc, listPids, readArgv, readStat } from "./_proc.ts";
import type { ProcessSnapshot } from "./cleanup.ts";

/** The variable that lists, in every process of a run, the ids of the runs it belongs to, innermost last. */
const RUN_IDS_VAR = "KATA_RUNS";
/** `<pid>.<start ticks>` at the start of a run id, a cgroup's or a temp folder's name. */
const OWNER = /(?:^|[-.])(\d+)\.(\d+)(?=[.-])/;
/** How long a swept cgroup may take to empty before it is left for the next sweep, in ms. */
const GROUP_EMPTY_MS = 2000;
const GROUP_POLL_MS = 20;

let tag: string | undefined;

/** This process as an owner: `<pid>.<start ticks>`, which no other process ever has. */
export function ownerTag(): string {
  tag ??= `${process.pid}.${readStat(process.pid)?.startTicks ?? 0}`;
  return tag;
}

/** Whether the owner named at the start of `name` (a run id, a folder's name) is a dead process; false when no owner is named. */
export function ownerIsDead(name: string): boolean {
  const m = OWNER.exec(name);
  if (!m) return false;
  const [pid, ticks] = [Number(m[1]), Number(m[2])];
  if (ticks === 0) return false;
  const s = readStat(pid);
  return s === undefined || s.state === "Z" || s.startTicks !== ticks;
}

/** What a sweep found and ended. */
export interface SweepReport {
  /** Processes of runs whose harness is dead, killed. */
  killed: ProcessSnapshot[];
  /** Cgroups of such runs, killed and removed. */
  groups: string[];
  /** Temp folders of dead harnesses, removed. */
  folders: string[];
}

/**
 * Kills the processes and removes the cgroups and temp folders of runs whose
 * harness is dead. Cgroups that take a moment to empty are removed a little
 * later, in the background.
 */
export function sweepDeadRuns(): SweepReport {
  const report: SweepReport = { killed: [], groups: [], folders: [] };
  if (!hasProc()) return report;
  for (const pid of listPids()) {
    if (pid === process.pid) continue;
    const runs = runIdsOf(pid);
    if (!runs.some(ownerIsDead)) continue;
    const s = readStat(pid);
    if (!s || s.state === "Z") continue;
    try {
      process.kill(pid, "SIGKILL");
      report.killed.push({ pid, ppid: s.ppid, state: s.state, argv: readArgv(pid) ?? [] });
    } catch {
      // Gone, or not ours to kill.
    }
  }
  const own = ownCgroup();
  if (own) sweepGroups(own.mount, own.path, report);
  for (const name of entries(tmpdir())) {
    if (!name.startsWith("kata") || !ownerIsDead(name)) continue;
    const path = join(tmpdir(), name);
    rmSync(path, { recursive: true, force: true });
    report.folders.push(path);
  }
  return report;
}

/**
 * Kills and removes the run cgroups below `path` whose harness is dead, and
 * looks inside those of live harnesses: a test file's runs are nested in the
 * cgroup of the test file's own run.
 */
function sweepGroups(mount: string, path: string, report: SweepReport): void {
  for (const name of entries(join(mount, path))) {
    if (!name.startsWith(CGROUP_PREFIX)) continue;
    if (!ownerIsDead(name)) {
      sweepGroups(mount, join(path, name), report);
      continue;
    }
    const group = groupAt(join(mount, path, name), join(path, name));
    group.kill();
    report.groups.push(group.dir);
    if (!group.remove()) removeLater(() => group.remove());
  }
}

/** The run ids in the environment of `pid` (KATA_RUNS), or none. */
function runIdsOf(pid: number): string[] {
  let env: string;
  try {
    env = readFileSync(`/proc/${pid}/environ`, "latin1");
  } catch {
    return [];
  }
  const entry = env.split("\0").find((e) => e.startsWith(`${RUN_IDS_VAR}=`));
  return entry ? entry.slice(RUN_IDS_VAR.length + 1).split(" ") : [];
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function removeLater(remove: () => boolean): void {
  const until = Date.now() + GROUP_EMPTY_MS;
  const retry = () => {
    if (remove() || Date.now() > until) return;
    setTimeout(retry, GROUP_POLL_MS).unref();
  };
  setTimeout(retry, GROUP_POLL_MS).unref();
}
