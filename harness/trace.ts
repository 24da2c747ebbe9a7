// Writes what the harness observed of runs as a Chrome trace: the Trace Event
// JSON that Perfetto (ui.perfetto.dev) and chrome://tracing open. Each run is a
// group of tracks; each process it started is a track in it, in tree order and
// named by its program and pid, indented under its parent. A track holds the
// process's life ("alive", then "zombie" until it was reaped), its adoptions,
// and on the program's own track its exit and its output lines, as instants.
//
//   writeFileSync("run.json", JSON.stringify(chromeTrace(verdict.runs)));
import { CLOCK_TICKS_PER_SECOND } from "./_proc.ts";
import { inTreeOrder, programName, type RunTrace } from "./timeline.ts";
import type { ProcessRecord } from "./tree.ts";

/** One event of the Trace Event format (times in microseconds). */
export interface TraceEvent {
  name: string;
  /** X a span (with dur), i an instant, M metadata (names and order of tracks). */
  ph: "X" | "i" | "M";
  /** Start, in µs from the first run's start. */
  ts: number;
  /** Length of a span, in µs. */
  dur?: number;
  /** The track group: one a run. */
  pid: number;
  /** The track: the observed process's own pid. */
  tid: number;
  cat?: string;
  /** An instant's scope: "t" on its track. */
  s?: "t";
  args?: Record<string, unknown>;
}

/** A whole trace file. */
export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: "ms";
  /** Free-form facts about the trace, shown by the viewers as metadata. */
  otherData: Record<string, string>;
}

/** A run, with the tests that judged it. */
export interface TracedRun {
  trace: RunTrace;
  tests: string[];
}

/** Gap between runs laid end to end when their real start is unknown, in ms. */
const GAP_MS = 50;
const US = 1000;

/**
 * When each run started, in ms on one clock: from the kernel's start time of its
 * program (10 ms resolution, so runs that overlapped show overlapping), or, where
 * that is unknown (the `ps` fallback), one after another in order.
 */
function startsOf(runs: TracedRun[]): number[] {
  const kernel = runs.map(({ trace }) => {
    const root = trace.tree.find((r) => r.pid === trace.pid);
    return root && root.startTicks > 0 ? root.startTicks * (1000 / CLOCK_TICKS_PER_SECOND) - root.createdAt : undefined;
  });
  if (kernel.every((t) => t !== undefined)) {
    const first = Math.min(...kernel);
    return kernel.map((t) => t - first);
  }
  let at = 0;
  return runs.map(({ trace }) => {
    const start = at;
    at += Math.max(trace.durationMs, ...trace.tree.map(lastMoment)) + GAP_MS;
    return start;
  });
}

function lastMoment(r: ProcessRecord): number {
  return Math.max(r.firstSeen, r.lastAlive ?? 0, r.zombieUntil ?? 0, r.goneAt ?? 0);
}

function endOf(trace: RunTrace): string {
  if (trace.expired) return `ended by its test at ${trace.deadlineMs} ms`;
  if (trace.timedOut) return `killed at its ${trace.deadlineMs} ms deadline`;
  return trace.signal ? `killed by ${trace.signal}` : `exit ${trace.exitCode}`;
}

/** The events of one run, its tracks in group `group`, its times shifted by `offset` ms. */
function runEvents(run: TracedRun, index: number, group: number, offset: number): TraceEvent[] {
  const { trace, tests } = run;
  const at = (ms: number) => Math.round((offset + ms) * US);
  const meta = (name: string, tid: number, args: Record<string, unknown>): TraceEvent =>
    ({ name, ph: "M", ts: 0, pid: group, tid, args });
  const ordered = inTreeOrder(trace.tree);
  const root = ordered.find(({ record }) => record.pid === trace.pid)?.record ?? ordered[0]?.record;
  const events: TraceEvent[] = [
    meta("process_name", 0, { name: `Run ${index + 1}: ${programName(root?.argv ?? [trace.file])} (pid ${trace.pid}, ${endOf(trace)})` }),
    meta("process_sort_index", 0, { sort_index: index }),
    meta("process_labels", 0, { labels: tests.length > 0 ? `judged by: ${tests.join("; ")}` : "judged by no finished test" }),
  ];
  ordered.forEach(({ record: r, depth }, i) => {
    const tid = r.pid;
    const name = `${depth > 0 ? `${"  ".repeat(depth - 1)}└ ` : ""}${programName(r.argv)} · pid ${r.pid}`;
    events.push(meta("thread_name", tid, { name }), meta("thread_sort_index", tid, { sort_index: i }));
    const facts = { pid: r.pid, ppid: r.ppid, argv: r.argv.join(" "), session: r.session, group: r.pgrp };
    if (r.lastAlive !== undefined) {
      const from = Math.min(r.firstSeen, r.lastAlive);
      events.push({ name: "alive", cat: "process", ph: "X", ts: at(from), dur: at(r.lastAlive) - at(from), pid: group, tid, args: facts });
    }
    if (r.zombieFrom !== undefined) {
      const until = r.goneAt ?? r.zombieUntil ?? r.zombieFrom;
      events.push({
        name: "zombie", cat: "zombie", ph: "X", ts: at(r.zombieFrom), dur: at(until) - at(r.zombieFrom), pid: group, tid,
        args: { pid: r.pid, meaning: "exited, not yet reaped by its parent" },
      });
    }
    for (const p of r.parents) {
      events.push({ name: `adopted by ${p.ppid}`, cat: "adoption", ph: "i", s: "t", ts: at(p.at), pid: group, tid, args: { ppid: p.ppid } });
    }
  });
  const rootTid = root?.pid ?? trace.pid;
  events.push({ name: endOf(trace), cat: "exit", ph: "i", s: "t", ts: at(trace.durationMs), pid: group, tid: rootTid });
  for (const line of trace.output) {
    events.push({
      name: line.text === undefined ? line.stream : `${line.stream}: ${line.text}`, cat: line.stream, ph: "i", s: "t",
      ts: at(line.at), pid: group, tid: rootTid, args: { stream: line.stream, text: line.text ?? "" },
    });
  }
  return events;
}

/** The trace of `runs`: a group of tracks a run, a track a process, ready for JSON.stringify. */
export function chromeTrace(runs: TracedRun[], about: Record<string, string> = {}): ChromeTrace {
  const starts = startsOf(runs);
  const traceEvents = runs.flatMap((run, i) => runEvents(run, i, i + 1, starts[i]));
  return { traceEvents, displayTimeUnit: "ms", otherData: { ...about, runs: String(runs.length) } };
}
