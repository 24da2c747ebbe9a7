// Test helpers: the checks and messages that several tests share.
import { describeEnd, fail, ms, type OutputLine, type RunResult, stderrTail } from "../../../harness/mod.ts";
import { type Clash, endsBetween, eventOf, linesAround, printerEvents, type Stall, type Step } from "./printer.ts";

/** The two ways lines come to interleave, for every clash. */
export const LOCK_HINT = "Either acquirePrinter() resolved while another worker held the printer (each worker " +
  "is a process with memory of its own, so a variable in one of them locks nothing: the lock must " +
  "live where all of them reach it), or the holder gave the printer back before it had printed " +
  "\"done printing\".";

/** Two workers printing at once, told with the lines around it. */
export function clashMessage(clash: Clash, lines: OutputLine[]): string {
  const { holder, intruder, holderDone } = clash;
  const text = `Worker ${intruder.worker} started printing at ${ms(intruder.at)} while worker ` +
    `${holder.worker} was still printing (it started at ${ms(holder.at)} and ` +
    `${holderDone ? `said it was done only at ${ms(holderDone.at)}` : "had not said it was done"}):\n` +
    linesAround(lines, intruder.index);
  // Another worker ended while the holder printed: the printer may have been freed for a worker that no
  // longer held it. (main.ts prints the end a moment after the lock learns of it, so look on both sides.)
  const ends = endsBetween(lines, holder.index, holderDone?.index ?? lines.length, holder.worker);
  const ended = ends.sort((a, b) => Math.abs(a.at - intruder.at) - Math.abs(b.at - intruder.at))[0];
  if (!ended) return text;
  return `${text}\nAround then, "${ended.text}": when a worker ends, the printer is free only if that ` +
    `worker held it. Worker ${holder.worker} held it then; if the end of a worker that no longer held ` +
    "it handed the printer on, it was handed on twice.";
}

/** A worker left waiting for a printer that nobody holds. */
export function stallMessage(stall: Stall, stallMs: number): string {
  const { waiter, freeSince } = stall;
  const free = freeSince
    ? `free since worker ${freeSince.worker} printed "done printing" at ${ms(freeSince.at)}`
    : "never held by anyone";
  return `Worker ${waiter.worker} asked for the printer at ${ms(waiter.at)}, and the printer was ${free}, ` +
    `yet ${ms(stallMs)} later nobody had it: acquirePrinter() was left waiting while the printer was free.`;
}

/** The lesson of a stall. */
export const STALL_HINT = "When the printer is given back (or its holder dies), hand it to the next worker " +
  "waiting, at once; and when a worker asks while nobody holds it, grant it at once.";

const STEP_TEXT: Record<Step, string> = {
  prepares: "began preparing its document",
  asks: "asked for the printer",
  starts: "started printing",
  done: "printed that it was done",
};
const STEP_HINT: Record<Step, string> = {
  prepares: "Did the worker crash at start, or did it never get the start signal from main.ts?",
  asks: "Did the worker crash while it prepared?",
  starts: "acquirePrinter() never resolved: when the printer is free (released, or its holder gone), " +
    "it must go to the next worker waiting. A lock kept outside main.ts's memory (a lock file, a socket " +
    "name) outlives a holder that was killed (a test kills one, in a run beside this one): nothing frees it then.",
  done: "Did the worker crash while it held the printer?",
};

/** Fails, naming the first step missing from the output, unless each worker (1..n, or those named) went all the way. */
export function assertAllPrinted(r: RunResult, workers: number | string[]): void {
  const ids = typeof workers === "number" ? [...Array(workers).keys()].map((i) => String(i + 1)) : workers;
  const events = printerEvents(r.lines);
  const order: Step[] = ["prepares", "asks", "starts", "done"];
  for (const step of order) {
    for (const id of ids) {
      if (eventOf(events, id, step)) continue;
      const before = order[order.indexOf(step) - 1];
      const last = before ? eventOf(events, id, before) : undefined;
      const tail = stderrTail(r);
      fail(
        `Worker ${id} never ${STEP_TEXT[step]}` +
          (last ? ` (it ${STEP_TEXT[before!]} at ${ms(last.at)})` : "") +
          `; main.ts ${describeEnd(r)}.` + (tail ? ` The end of stderr:\n${tail}` : ""),
        { hint: STEP_HINT[step] },
      );
    }
  }
}
