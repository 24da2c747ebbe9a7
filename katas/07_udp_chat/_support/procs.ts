// Programs of a test session: start them, wait for their lines with a deadline,
// and turn a line that never came into a lesson.
import {
  describeEnd, fail, type KataProgram, type OutputLine, type RunningProgram, type RunResult, stderrTail,
} from "../../../harness/mod.ts";

/** How long a program may take to start and print its first line, with both cores busy. */
export const START_MS = 30_000;
/** How long a datagram may take to go through the server and be printed. */
export const DELIVERY_MS = 10_000;
/** The deadline of every program of a session. */
export const SESSION_DEADLINE_MS = 60_000;
/** How long a program's children may outlive it (a console or a sender noticing the end). */
export const GRACE_MS = 2000;

/** A program of the session, with its result once it has ended. */
export interface Proc {
  label: string;
  run: RunningProgram;
  result?: RunResult;
  done: Promise<RunResult>;
}

/** Starts `file` of the kata with stdin kept open. */
export function startProc(program: KataProgram, label: string, file: string, args: string[]): Proc {
  const run = program.start(file, {
    args, interactive: true, deadlineMs: SESSION_DEADLINE_MS, graceMs: GRACE_MS,
  });
  const proc: Proc = { label, run, done: run.result };
  run.result.then((r) => (proc.result = r));
  return proc;
}

/** Types a line into the program's stdin. */
export function typeLine(proc: Proc, line: string): void {
  if (!proc.run.stdin.writableEnded) proc.run.stdin.write(`${line}\n`);
}

/** The stdout lines of the program so far (all of them once it has ended). */
export function printed(proc: Proc): string[] {
  return proc.run.lines.filter((l) => l.stream === "stdout").map((l) => l.text);
}

/** How many stdout lines are exactly `text`. */
export function countLine(proc: Proc, text: string): number {
  return printed(proc).filter((l) => l === text).length;
}

/** The last lines of a program, and how it ended if it has, for messages. */
export function lastWords(proc: Proc): string {
  const tail = proc.run.lines.slice(-6).map((l) => `    ${l.stream}: ${l.text}`).join("\n");
  const end = proc.result ? `\n  It ${describeEnd(proc.result)}.` : "";
  const err = proc.result ? stderrTail(proc.result) : "";
  return `${tail ? `\n  Its last lines:\n${tail}` : "\n  It printed nothing."}${end}${err ? `\n${err}` : ""}`;
}

/**
 * Waits for a line of `proc` matching `pattern`; fails with a lesson if none
 * comes in time, adding `note(proc)`, a diagnosis made at that moment.
 */
export async function expectLine(
  proc: Proc,
  pattern: RegExp | string,
  timeoutMs: number,
  hint: string,
  note: (proc: Proc) => string = () => "",
): Promise<OutputLine> {
  try {
    return await proc.run.waitForLine(pattern, { timeoutMs });
  } catch {
    await Promise.race([proc.done, new Promise((r) => setTimeout(r, 50))]);
    const shown = typeof pattern === "string" ? `"${pattern}"` : String(pattern);
    const when = proc.result ? ", but it ended first" : ` within ${timeoutMs / 1000} s, but it did not`;
    return fail(
      `Expected ${proc.label} to print ${shown}${when}.${lastWords(proc)}${note(proc)}`,
      { hint },
    );
  }
}
