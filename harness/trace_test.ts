// Self-tests of the Chrome trace: made-up runs whose tracks are known, read back
// from JSON as a viewer would, then a real run of the orphan fixture.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CLOCK_TICKS_PER_SECOND } from "./_proc.ts";
import { run } from "./run.ts";
import { type ChromeTrace, chromeTrace, type TraceEvent } from "./trace.ts";
import { type RunTrace, traceOf } from "./timeline.ts";
import type { ProcessRecord } from "./tree.ts";

const fixture = (name: string) => new URL(`./fixtures/${name}.ts`, import.meta.url).pathname;
const TICK_MS = 1000 / CLOCK_TICKS_PER_SECOND;

function proc(pid: number, ppid: number, script: string, span: Partial<ProcessRecord>): ProcessRecord {
  return {
    pid, ppid, parents: [], argv: ["/usr/bin/node", "--import", "file:///x/tsx/loader.mjs", `/k/${script}`],
    pgrp: pid, session: 1, createdAt: 0, firstSeen: 0, lastAlive: undefined, endedAt: undefined,
    zombieFrom: undefined, zombieUntil: undefined, goneAt: undefined, state: "S", startTicks: 0, ...span,
  };
}

function trace(tree: ProcessRecord[], more: Partial<RunTrace> = {}): RunTrace {
  return {
    runId: "r", file: "/k/main.ts", args: [], pid: tree[0].pid, exitCode: 0, signal: null, durationMs: 1000,
    timedOut: false, deadlineMs: 5000, tree, output: [], outputTruncated: false, stderrTail: [], ...more,
  };
}

/** The trace as a viewer reads it: through JSON. */
function roundTrip(t: ChromeTrace): ChromeTrace {
  return JSON.parse(JSON.stringify(t)) as ChromeTrace;
}

/** Each track (group and tid) with its name and its events. */
function tracks(t: ChromeTrace): Map<string, { name: string; events: TraceEvent[] }> {
  const out = new Map<string, { name: string; events: TraceEvent[] }>();
  for (const e of t.traceEvents) {
    if (e.ph === "M" && e.name === "thread_name") out.set(`${e.pid}/${e.tid}`, { name: String(e.args?.name), events: [] });
  }
  for (const e of t.traceEvents) if (e.ph !== "M") out.get(`${e.pid}/${e.tid}`)?.events.push(e);
  return out;
}

const root = proc(10, 1, "main.ts", { lastAlive: 996, endedAt: 1000, goneAt: 1000, startTicks: 5000 });
const child = proc(11, 10, "task.ts forked", {
  firstSeen: 100, lastAlive: 400, zombieFrom: 404, zombieUntil: 700, goneAt: 704, startTicks: 5010, createdAt: 100,
});
const grandchild = proc(12, 11, "worker.ts", {
  firstSeen: 200, lastAlive: 1500, goneAt: 1504, startTicks: 5020, createdAt: 200, parents: [{ ppid: 1, at: 704 }],
});
const helper = { ...proc(13, 10, "x", { lastAlive: 10 }), argv: ["/n/esbuild", "--service=1"] };

test("a track a process, named by program and pid, in tree order, with its life, zombie, adoption and output", () => {
  const output = [{ at: 150, stream: "stdout" as const, text: "main: started 11" }, { at: 900, stream: "stderr" as const, text: "oops" }];
  const t = roundTrip(chromeTrace([{ trace: trace([root, grandchild, child, helper], { output }), tests: ["a test"] }]));
  assert.is(t.displayTimeUnit, "ms");
  const all = tracks(t);
  assert.equal([...all.values()].map((k) => k.name), ["main.ts · pid 10", "└ task.ts forked · pid 11", "  └ worker.ts · pid 12"],
    "the loader's helper left out; each process under its parent, its loader's flags left out of its name");
  const order = t.traceEvents.filter((e) => e.name === "thread_sort_index").map((e) => [e.tid, e.args?.sort_index]);
  assert.equal(order, [[10, 0], [11, 1], [12, 2]]);
  const kid = all.get("1/11")!.events;
  const alive = kid.find((e) => e.name === "alive")!;
  assert.equal([alive.ph, alive.ts, alive.dur], ["X", 100_000, 300_000], "alive from first to last sighting, in µs");
  const zombie = kid.find((e) => e.name === "zombie")!;
  assert.equal([zombie.ts, zombie.dur], [404_000, 300_000], "a zombie until reaped");
  const adopted = all.get("1/12")!.events.find((e) => e.name === "adopted by 1")!;
  assert.equal([adopted.ph, adopted.s, adopted.ts], ["i", "t", 704_000]);
  const mainEvents = all.get("1/10")!.events;
  assert.ok(mainEvents.some((e) => e.name === "exit 0" && e.ts === 1_000_000), "the program's exit");
  assert.ok(mainEvents.some((e) => e.name === "stdout: main: started 11" && e.ts === 150_000), "output as instants");
  assert.ok(mainEvents.some((e) => e.name === "stderr: oops" && e.args?.stream === "stderr"));
  const group = t.traceEvents.find((e) => e.name === "process_name")!;
  assert.match(String(group.args?.name), "Run 1: main.ts (pid 10, exit 0)");
  for (const e of t.traceEvents) {
    assert.ok(Number.isInteger(e.ts) && e.ts >= 0, `integer µs: ${JSON.stringify(e)}`);
    if (e.ph === "X") assert.ok(Number.isInteger(e.dur) && e.dur! >= 0, `a span has its length: ${JSON.stringify(e)}`);
  }
});

test("runs sit where the kernel says they started; without start times, one after another", () => {
  const second = proc(20, 1, "main.ts", { lastAlive: 500, goneAt: 504, startTicks: 5000 + 300 / TICK_MS });
  const runs = [{ trace: trace([root]), tests: [] }, { trace: trace([second], { durationMs: 500 }), tests: [] }];
  const alive = (t: ChromeTrace, tid: number) => t.traceEvents.find((e) => e.name === "alive" && e.tid === tid)!;
  const kernel = chromeTrace(runs);
  assert.is(alive(kernel, 20).ts - alive(kernel, 10).ts, 300_000, "the second run started 300 ms after the first: they overlap");
  assert.equal(kernel.traceEvents.filter((e) => e.name === "process_name").map((e) => e.pid), [1, 2], "a group a run");
  const unknown = chromeTrace(runs.map((r) => ({ ...r, trace: { ...r.trace, tree: r.trace.tree.map((p) => ({ ...p, startTicks: 0 })) } })));
  assert.ok(alive(unknown, 20).ts >= 1_000_000, "laid end to end, after the first run's last moment");
});

test("a real orphan: the trace of the fixture's run has its tracks and the adoption", async () => {
  const r = await run(fixture("orphan"), { args: ["700"], graceMs: 2000 });
  const t = roundTrip(chromeTrace([{ trace: traceOf(r), tests: [] }]));
  const tids = [...tracks(t).keys()].map((k) => Number(k.split("/")[1])).sort((a, b) => a - b);
  assert.equal(tids, r.tree.filter((p) => !p.argv[0]?.endsWith("esbuild")).map((p) => p.pid).sort((a, b) => a - b), "a track for every observed process");
  assert.ok(t.traceEvents.some((e) => e.name.startsWith("adopted by ") && e.tid === r.descendants[0].pid));
});

test.run();
