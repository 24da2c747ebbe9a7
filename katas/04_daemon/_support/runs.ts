// Private helpers of kata 04's tests: start main.ts, find its two children in
// the observed tree, and fail with a lesson when something is missing.
import {
  describeEnd,
  fail,
  type KataProgram,
  ms,
  type OutputLine,
  type ProcessRecord,
  type RunningProgram,
  type RunOptions,
  stderrTail,
} from "../../../harness/mod.ts";

/** A started main.ts, with the children it had when it printed its first line. */
export interface Started {
  running: RunningProgram;
  /** main.ts's first line ("main: pid ... started daemon ... and worker ..."). */
  firstLine: OutputLine;
  /** The children of main.ts at that moment, as observed (records keep updating). */
  children: ProcessRecord[];
}

/** The two children the program must start, by the file each runs. */
export const ROLES = {
  daemon: { file: "daemon.ts", name: "daemon child", how: "fork(DAEMON)" },
  worker: { file: "worker.ts", name: "ordinary child", how: "fork(WORKER)" },
} as const;
export type Role = keyof typeof ROLES;

/** Starts main.ts and waits for its first line; fails with a lesson if it never comes. */
export async function startMain(program: KataProgram, options: RunOptions = {}): Promise<Started> {
  const running = program.start("main.ts", options);
  let firstLine: OutputLine;
  try {
    firstLine = await running.waitForLine(/^main: /);
  } catch {
    running.kill("SIGKILL");
    const r = await running.result;
    const tail = stderrTail(r);
    return fail(
      `main.ts ${describeEnd(r)} without printing its first line ("main: pid ...").` +
        (tail ? ` The end of its stderr:\n${tail}` : ""),
    );
  }
  // fork() returns once the child has exec'd node with its arguments, so both children are listed now.
  running.tree.sample();
  const children = running.tree.records().filter((p) => p.ppid === running.pid);
  return { running, firstLine, children };
}

/** The child of main.ts running the file of `role`, or a failed check saying what was seen. */
export function childFor(s: Started, role: Role): ProcessRecord {
  const { file, name, how } = ROLES[role];
  const found = s.children.find((p) => p.argv.some((a) => a === file || a.endsWith(`/${file}`)));
  if (found) return found;
  const seen = s.children.length === 0
    ? "no child process at all"
    : s.children.map((p) => `pid ${p.pid} (${p.argv.slice(-2).join(" ")})`).join(", ");
  return fail(
    `Expected main.ts (pid ${s.running.pid}) to have started a child running ${file} before its ` +
      `first line, but when that line came out the harness saw ${seen}.`,
    { hint: `Start the ${name} with ${how} before the program's own work begins.` },
  );
}

/** Waits for a line of the running program; a failed check if it never comes. */
export async function expectLine(s: Started, pattern: RegExp, why: string, timeoutMs: number): Promise<void> {
  try {
    await s.running.waitForLine(pattern, { timeoutMs });
  } catch (err) {
    fail(`${why} ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Runs `checks` on a running program; if they fail, kills it and waits for the clean-up first. */
export async function orStop<T>(s: Started, checks: () => Promise<T>): Promise<T> {
  try {
    return await checks();
  } catch (err) {
    s.running.kill("SIGKILL");
    await s.running.result;
    throw err;
  }
}
