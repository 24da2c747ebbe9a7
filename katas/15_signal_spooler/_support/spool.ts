// Private helpers of kata 15's tests: a spool folder, jobs dropped into it as a
// submitter would, and what the kernel says of the spooler's signals.
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { constants } from "node:os";
import { join } from "node:path";
import { fail, ms, type OutputLine, type RunningProgram, tempDir } from "../../../harness/mod.ts";

/** How long the spooler may make no progress on waiting jobs before a test gives up on it. */
export const STALL_MS = 8000;
const POLL_MS = 10;

/** A spool folder for one run of the spooler. */
export interface Spool {
  dir: string;
  incoming: string;
  done: string;
}

/** A fresh spool folder (its incoming/ made, so that jobs can wait before the spooler runs). */
export function makeSpool(): Spool {
  const dir = tempDir("kata15-");
  const spool = { dir, incoming: join(dir, "incoming"), done: join(dir, "done") };
  mkdirSync(spool.incoming);
  return spool;
}

/** Drops a job as a careful submitter does: written under a dot name, then renamed into place. */
export function dropJob(spool: Spool, name: string, units: number): void {
  const temp = join(spool.incoming, `.${name}.tmp`);
  writeFileSync(temp, JSON.stringify({ units }) + "\n");
  renameSync(temp, join(spool.incoming, name));
}

/** Job names in a folder of the spool. */
export function jobsIn(folder: string): string[] {
  return readdirSync(folder).filter((n) => !n.startsWith(".")).sort();
}

/** The signals a process catches, from the SigCgt mask of /proc/<pid>/status. */
export function caughtSignals(pid: number): Set<string> {
  return signalsInMask(statusField(pid, "SigCgt"));
}

/** The signals pending for a process (its own and its thread group's), from /proc/<pid>/status. */
export function pendingSignals(pid: number): Set<string> {
  const both = new Set(signalsInMask(statusField(pid, "SigPnd")));
  for (const s of signalsInMask(statusField(pid, "ShdPnd"))) both.add(s);
  return both;
}

/** The state letter of a process from /proc/<pid>/stat (T when stopped), or "" when it is gone. */
export function stateOf(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
  } catch {
    return "";
  }
}

function statusField(pid: number, field: string): string {
  const status = readFileSync(`/proc/${pid}/status`, "latin1");
  return new RegExp(`^${field}:\\s*([0-9a-f]+)$`, "m").exec(status)?.[1] ?? "0";
}

/** Signal names whose bit (number - 1) is set in a hex mask of /proc. */
function signalsInMask(hex: string): Set<string> {
  const mask = BigInt(`0x${hex}`);
  const names = new Set<string>();
  for (const [name, n] of Object.entries(constants.signals)) {
    if ((mask >> BigInt(n - 1)) & 1n) names.add(name);
  }
  return names;
}

/** Waits until `pid` shows state T (stopped), or fails. */
export async function untilStopped(pid: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (stateOf(pid) !== "T") {
    if (Date.now() > until) fail(`The spooler (pid ${pid}) was sent SIGSTOP but did not stop within ${ms(timeoutMs)}.`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The spooler's "done <name>" lines so far, by name. */
export function doneLines(running: RunningProgram): Map<string, OutputLine> {
  const done = new Map<string, OutputLine>();
  for (const l of running.lines) {
    const m = /^spooler: done (\S+)$/.exec(l.text);
    if (m && !done.has(m[1])) done.set(m[1], l);
  }
  return done;
}

/** How many "working on <name>" lines the spooler printed for each job. */
export function startsOf(running: RunningProgram): Map<string, number> {
  const starts = new Map<string, number>();
  for (const l of running.lines) {
    const m = /^spooler: working on (\S+)$/.exec(l.text);
    if (m) starts.set(m[1], (starts.get(m[1]) ?? 0) + 1);
  }
  return starts;
}

/**
 * Waits until every job of `names` is done, or the spooler made no progress for
 * STALL_MS, or it ended. Resolves with the names not done.
 */
export async function untilDone(running: RunningProgram, names: string[]): Promise<string[]> {
  let ended = false;
  running.result.then(() => (ended = true), () => (ended = true));
  let progress = -1;
  let since = Date.now();
  for (;;) {
    const done = doneLines(running);
    const left = names.filter((n) => !done.has(n));
    if (left.length === 0 || ended) return left;
    const seen = running.lines.length;
    if (seen !== progress) {
      progress = seen;
      since = Date.now();
    } else if (Date.now() - since > STALL_MS) {
      return left;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
