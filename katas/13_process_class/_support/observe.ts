// Private helpers of kata 13's tests: main.ts's lines while it runs, and its
// children as the kernel shows them (pid, parent, title).
import {
  fail,
  isLoaderHelper,
  ms,
  type OutputLine,
  type ProcessRecord,
  type RunningProgram,
} from "../../../harness/mod.ts";

/** How long a line may be late once what it waits for has happened (a loaded machine is slow). */
export const SOON_MS = 15_000;
const CHECK_EVERY_MS = 20;

/** Processes whose parent is `pid`, less the loader's helper (tsx's esbuild). */
export function childrenOf(running: RunningProgram, pid: number): ProcessRecord[] {
  return running.tree.records().filter((p) => p.ppid === pid && p.pid !== pid && !isLoaderHelper(p.argv));
}

/** The title a process showed last: its whole command line once process.title was set. */
export function titleOf(p: ProcessRecord): string {
  return p.argv.filter((a) => a !== "").join(" ");
}

/** The child of main.ts that showed `name` as its title, if any. */
export function childNamed(running: RunningProgram, name: string): ProcessRecord | undefined {
  return childrenOf(running, running.pid).find((p) => titleOf(p) === name);
}

/** The last lines the program printed, indented, for messages. */
export function lastLines(running: RunningProgram, n = 6): string {
  const tail = running.lines.slice(-n).map((l) => `  ${l.stream}: ${l.text}`);
  return tail.length > 0 ? `Its last lines:\n${tail.join("\n")}` : "It printed nothing.";
}

/** Waits for a line of main.ts; fails with `lesson` (and what it did print) if none comes. */
export async function lineOf(
  running: RunningProgram,
  pattern: RegExp,
  lesson: string,
  timeoutMs?: number,
): Promise<OutputLine> {
  try {
    return await running.waitForLine(pattern, timeoutMs === undefined ? {} : { timeoutMs });
  } catch {
    const ended = running.tree.records().find((p) => p.pid === running.pid)?.endedAt !== undefined;
    return fail(`main.ts never printed a line matching ${pattern}` +
      (ended ? " before it ended. " : ` within ${ms(timeoutMs ?? 0)}. `) + lastLines(running), { hint: lesson });
  }
}

/**
 * Waits for a line like {@link lineOf}, calling `check` every few ms meanwhile,
 * so that a test can fail as soon as something goes wrong (check throws).
 */
export async function lineWhile(
  running: RunningProgram,
  pattern: RegExp,
  lesson: string,
  check: () => void,
): Promise<OutputLine> {
  let done = false;
  const line = lineOf(running, pattern, lesson).finally(() => (done = true));
  while (!done) {
    check();
    await Promise.race([line.catch(() => {}), new Promise((resolve) => setTimeout(resolve, CHECK_EVERY_MS))]);
  }
  check();
  return line;
}

/** One report of main.ts: `main: <name><when> pid <pid> alive=<bool> exitcode=<value>`. */
export interface Report {
  line: OutputLine;
  pid: number;
  alive: string;
  exitcode: string;
}

/** Waits for the report of `name` (with the words `when` after it). */
export async function reportOf(
  running: RunningProgram,
  name: string,
  when: string,
  lesson: string,
  timeoutMs?: number,
): Promise<Report> {
  const pattern = new RegExp(`^main: ${name}${when.replace(/[()]/g, "\\$&")} pid (\\S+) alive=(\\S+) exitcode=(\\S+)$`);
  const line = await lineOf(running, pattern, lesson, timeoutMs);
  const m = pattern.exec(line.text)!;
  return { line, pid: Number(m[1]), alive: m[2], exitcode: m[3] };
}

/** The observed child of main.ts that a report names; a lesson if there is none. */
export function reportedChild(running: RunningProgram, rep: Report): ProcessRecord {
  const found = childrenOf(running, running.pid).find((p) => p.pid === rep.pid);
  if (found) return found;
  return fail(`main.ts printed "${rep.line.text}", but the harness saw no child of main.ts (pid ${running.pid}) ` +
    `with pid ${rep.pid}.`, { hint: "Process.pid is the pid of the child that start() forked." });
}

/** Fails unless the report says exactly `alive` and `exitcode`. */
export function expectReport(rep: Report, alive: boolean, exitcode: number | null, hint: string): void {
  if (rep.alive === String(alive) && rep.exitcode === String(exitcode)) return;
  fail(`Expected alive=${alive} exitcode=${exitcode}, but main.ts printed "${rep.line.text}".`, { hint });
}

/** Waits until main.ts has a child titled `name`, or `timeoutMs` passed. */
export async function waitForChildNamed(
  running: RunningProgram,
  name: string,
  timeoutMs: number,
): Promise<ProcessRecord | undefined> {
  const until = running.now() + timeoutMs;
  while (running.now() < until) {
    const found = childNamed(running, name);
    if (found && found.lastAlive !== undefined && found.endedAt === undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return undefined;
}
