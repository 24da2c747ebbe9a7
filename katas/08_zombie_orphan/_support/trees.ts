// Private helpers of kata 08's tests: find the processes of a run by the file
// they run, and say what the harness saw when one is missing.
import {
  describeEnd,
  describeProcess,
  fail,
  isLoaderHelper,
  ms,
  parentHistory,
  type ProcessRecord,
  type RunResult,
  stderrTail,
} from "../../../harness/mod.ts";

/** Whether a process runs `file` (its argv names it). */
export function runs(p: ProcessRecord, file: string): boolean {
  return p.argv.some((a) => a === file || a.endsWith(`/${file}`));
}

/** How the run ended, when that may explain a missing process or line. */
export function ending(r: RunResult): string {
  if (r.exitCode === 0 && !r.timedOut) return "";
  const tail = stderrTail(r);
  return `\nThe program ${describeEnd(r)}.` + (tail ? ` The end of its stderr:\n${tail}` : "");
}

/** The process of the run (the program excluded) running `file`; a lesson if there is none. */
export function processRunning(r: RunResult, file: string, hint: string): ProcessRecord {
  const found = r.descendants.find((p) => runs(p, file));
  if (found) return found;
  const program = r.file.slice(r.file.lastIndexOf("/") + 1);
  // The loader's esbuild helper can be caught between its fork and its exec: leave it out.
  const others = r.descendants.filter((p) => !isLoaderHelper(p.argv));
  const seen = others.length === 0 ? "no other process at all" : `these:\n${others.map(line).join("\n")}`;
  return fail(`Expected ${program} (pid ${r.pid}) to start a process running ${file}, but the harness saw ` +
    `${seen}${ending(r)}`, { hint });
}

/** The lesson of a worker that crashed, quoting its stderr first; undefined if nothing was written there. */
export function workerCrash(r: RunResult): { text: string; hint: string } | undefined {
  const tail = stderrTail(r);
  if (!tail) return undefined;
  // Which error a send to a parent that left gets depends on when it left: before the send
  // (ERR_IPC_CHANNEL_CLOSED) or while the message was being written (EPIPE, as on Node 26).
  const hint = /ERR_IPC_CHANNEL_CLOSED|write EPIPE/.test(r.stderr)
    ? "The worker sends \"started\" over IPC as soon as it is up. Its parent had already left, so the " +
      "channel was closed and the send failed (ERR_IPC_CHANNEL_CLOSED, or write EPIPE if the parent left " +
      "while the message was on its way): leave only once the worker's first message has arrived."
    : "Read the error above: it ended the worker before its work was done.";
  return { text: `The end of stderr:\n${tail}`, hint };
}

function line(p: ProcessRecord): string {
  return `  ${describeProcess(p)}, parent ${parentHistory(p)}, seen from ${ms(p.firstSeen)}`;
}

