// Test helpers: read the printer's story from the lines the harness stamped,
// and find the first moment it went wrong.
import type { OutputLine } from "../../../harness/mod.ts";

/** What a worker line says, in order of a worker's life. */
export type Step = "prepares" | "asks" | "starts" | "done";

/** One worker line: who, what, when it reached the harness, and its place among all lines. */
export interface PrinterEvent {
  worker: string;
  step: Step;
  at: number;
  index: number;
}

const LINE = /^worker (\S+): (preparing its document|asks for the printer|starts printing|done printing)$/;
const STEPS: Record<string, Step> = {
  "preparing its document": "prepares",
  "asks for the printer": "asks",
  "starts printing": "starts",
  "done printing": "done",
};

/** Every worker line of stdout, in the order the printer printed them (one pipe keeps that order). */
export function printerEvents(lines: OutputLine[]): PrinterEvent[] {
  const events: PrinterEvent[] = [];
  lines.forEach((l, index) => {
    const m = l.stream === "stdout" ? LINE.exec(l.text) : null;
    if (m) events.push({ worker: m[1], step: STEPS[m[2]], at: l.at, index });
  });
  return events;
}

/** The first event of `worker` at `step`, if any. */
export function eventOf(events: PrinterEvent[], worker: string, step: Step): PrinterEvent | undefined {
  return events.find((e) => e.worker === worker && e.step === step);
}

/** Two workers printing at once: `intruder` started while `holder` had started and was not done. */
export interface Clash {
  holder: PrinterEvent;
  intruder: PrinterEvent;
  /** The holder's "done printing", if it came at all. */
  holderDone: PrinterEvent | undefined;
}

/** The first time a worker started printing while another one was still printing. */
export function firstClash(events: PrinterEvent[]): Clash | undefined {
  let holder: PrinterEvent | undefined;
  for (const e of events) {
    if (e.step === "starts") {
      if (holder && holder.worker !== e.worker) {
        const h = holder;
        const holderDone = events.find((d) => d.worker === h.worker && d.step === "done" && d.index > h.index);
        return { holder: h, intruder: e, holderDone };
      }
      holder = e;
    } else if (e.step === "done" && holder?.worker === e.worker) {
      holder = undefined;
    }
  }
  return undefined;
}

/** A worker still waiting for a printer that nobody holds. */
export interface Stall {
  /** The waiting worker's request. */
  waiter: PrinterEvent;
  /** When the printer was last given back ("done printing" of its last holder), if anyone held it. */
  freeSince: PrinterEvent | undefined;
}

/**
 * A worker that has waited longer than `stallMs` (by `now`) for a printer
 * that nobody holds: every worker that started printing has printed "done", and
 * the waiter asked before `now - stallMs`, as did the free printer's release.
 */
export function firstStall(events: PrinterEvent[], now: number, stallMs: number): Stall | undefined {
  const starts = events.filter((e) => e.step === "starts");
  const held = starts.some((s) => !events.some((d) => d.step === "done" && d.worker === s.worker && d.index > s.index));
  if (held) return undefined;
  const freeSince = events.findLast((e) => e.step === "done");
  if (freeSince && now - freeSince.at < stallMs) return undefined;
  const waiter = events.find((e) =>
    e.step === "asks" && now - e.at >= stallMs && !starts.some((s) => s.worker === e.worker)
  );
  return waiter && { waiter, freeSince };
}

/** A worker served before one that had asked earlier. */
export interface Overtake {
  /** Asked first, printed later. */
  wronged: { asks: PrinterEvent; starts: PrinterEvent | undefined };
  /** Asked later, printed first. */
  overtaker: { asks: PrinterEvent; starts: PrinterEvent };
}

/**
 * The first worker that got the printer before a worker that had asked at
 * least `tieMs` earlier. Requests closer together than that count as
 * simultaneous: a worker prints "asks" and then sends its request, so the order
 * in which requests reach the lock is the order of the lines only where they
 * are far apart (the tests use a whole time unit).
 */
export function firstOvertake(events: PrinterEvent[], tieMs: number): Overtake | undefined {
  const asks = events.filter((e) => e.step === "asks");
  for (const s of events.filter((e) => e.step === "starts")) {
    const own = asks.find((a) => a.worker === s.worker && a.index < s.index);
    if (!own) continue;
    for (const a of asks) {
      if (a.worker === s.worker || a.at > own.at - tieMs) continue;
      const theirStart = events.find((e) => e.worker === a.worker && e.step === "starts");
      if (!theirStart || theirStart.index > s.index) {
        return { wronged: { asks: a, starts: theirStart }, overtaker: { asks: own, starts: s } };
      }
    }
  }
  return undefined;
}

/** A worker whose preparation (from "preparing" to "asks") overlapped nobody else's, if any. */
export function firstLonelyPreparation(
  events: PrinterEvent[],
  count: number,
): { worker: string; from: number; to: number } | undefined {
  const spans = [...Array(count).keys()].map((i) => String(i + 1)).map((worker) => ({
    worker,
    from: eventOf(events, worker, "prepares")?.at ?? NaN,
    to: eventOf(events, worker, "asks")?.at ?? NaN,
  })).filter((s) => !Number.isNaN(s.from + s.to));
  return spans.find((s) => !spans.some((o) => o !== s && o.from <= s.to && s.from <= o.to));
}

/** main.ts's lines saying that a worker other than `except` ended, between two line indexes. */
export function endsBetween(lines: OutputLine[], from: number, to: number, except: string): OutputLine[] {
  return lines.slice(from + 1, to).filter((l) => {
    const m = /^main: worker (\S+) (exited|was killed)/.exec(l.text);
    return m !== null && m[1] !== except;
  });
}

/** The printer's lines around `index`, for messages. */
export function linesAround(lines: OutputLine[], index: number, before = 6, after = 2): string {
  return lines
    .slice(Math.max(0, index - before), index + after + 1)
    .filter((l) => l.stream === "stdout")
    .map((l) => `  ${String(Math.round(l.at)).padStart(6)} ms  ${l.text}`)
    .join("\n");
}
