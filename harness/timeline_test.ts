// Self-tests of the timeline chart: made-up trees whose picture is known, then
// real runs of the zombie and orphan fixtures.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { run } from "./run.ts";
import { drawTimeline, programName, type RunTrace } from "./timeline.ts";
import type { ProcessRecord } from "./tree.ts";

const fixture = (name: string) => new URL(`./fixtures/${name}.ts`, import.meta.url).pathname;

function proc(pid: number, ppid: number, script: string, span: Partial<ProcessRecord>): ProcessRecord {
  return {
    pid, ppid, parents: [], argv: ["/usr/bin/node", "--import", "tsx", `/k/${script}`],
    pgrp: pid, session: 1, createdAt: 0, firstSeen: 0, lastAlive: undefined, endedAt: undefined,
    zombieFrom: undefined, zombieUntil: undefined, goneAt: undefined, state: "S", startTicks: 0,
    ...span,
  };
}

function trace(tree: ProcessRecord[], more: Partial<RunTrace> = {}): RunTrace {
  return {
    runId: "r", file: "/k/main.ts", args: [], pid: tree[0].pid, exitCode: 0, signal: null,
    durationMs: 1000, timedOut: false, deadlineMs: 5000, tree, output: [], outputTruncated: false,
    stderrTail: [], ...more,
  };
}

/** The bar of the row whose label contains `name`: the cells between the two │. */
function bar(chart: string, name: string): string {
  const row = chart.split("\n").find((l) => l.includes(name) && l.includes("│"));
  assert.ok(row, `a row for ${name} in:\n${chart}`);
  return row!.slice(row!.indexOf("│") + 1, row!.lastIndexOf("│"));
}

const root = proc(10, 1, "main.ts", { firstSeen: 0, lastAlive: 996, endedAt: 1000, goneAt: 1000 });

test("one row a process, children under their parent, alive where they were alive", () => {
  const late = proc(12, 10, "task.ts late", { firstSeen: 500, lastAlive: 996, endedAt: 1000, goneAt: 1000 });
  const early = proc(11, 10, "task.ts early", { firstSeen: 0, lastAlive: 496, endedAt: 500, goneAt: 500 });
  const chart = drawTimeline(trace([root, late, early]), { width: 100 });
  const rows = chart.split("\n").filter((l) => l.includes("│") && !l.includes("output"));
  assert.equal(rows.map((r) => r.trim().split(/\s+/)[0]), ["10", "11", "12"], "parent first, then children by sight");
  const [e, l] = [bar(chart, "task.ts early"), bar(chart, "task.ts late")];
  assert.is(e.length, l.length);
  const half = Math.floor(e.length / 2);
  assert.match(e.slice(0, half - 1), /^█+$/, "early: alive in the first half");
  assert.match(e.slice(half + 1), /^ +$/, "early: gone in the second half");
  assert.match(l.slice(0, half - 1), /^ +$/, "late: not there in the first half");
  assert.match(l.slice(half + 1), /^█+$/, "late: alive in the second half");
  assert.match(chart, /\b11 +10 +task\.ts early/, "pid, parent and name label the row");
  assert.not.match(chart, /\x1b\[/, "no colour unless asked");
});

test("a long zombie shows as zombie cells and is noted", () => {
  const z = proc(11, 10, "child.ts", { firstSeen: 0, lastAlive: 200, zombieFrom: 204, zombieUntil: 800, goneAt: 804 });
  const chart = drawTimeline(trace([root, z]), { width: 100 });
  const cells = bar(chart, "child.ts");
  const at = (ms: number) => cells[Math.floor((ms / 1000) * cells.length)];
  assert.is(at(100), "█");
  assert.is(at(500), "▒");
  assert.is(at(900), " ");
  assert.match(chart, /zombie 600 ms/);
});

test("adoption is marked where it was seen, with the new parent", () => {
  const orphan = proc(11, 10, "child.ts", {
    firstSeen: 0, lastAlive: 1500, endedAt: 1504, goneAt: 1504, parents: [{ ppid: 1, at: 1004 }],
  });
  const chart = drawTimeline(trace([root, orphan]), { width: 100 });
  assert.match(chart, /\b11 +10→1 /);
  assert.match(chart, /adopted by 1 at 1004 ms/);
  const cells = bar(chart, "child.ts");
  assert.is(cells.indexOf("↑"), Math.floor((1004 / 1504) * cells.length), "the mark sits at the adoption");
  assert.match(chart, /1504 ms/, "the axis runs to the last moment seen, past the program's exit");
});

test("the loader's helper is left out, and rows past the limit are counted", () => {
  const helper = { ...proc(11, 10, "x", { firstSeen: 0, lastAlive: 10 }), argv: ["/n/esbuild", "--service=1", "--ping"] };
  const kids = [12, 13, 14, 15].map((pid) => proc(pid, 10, `task.ts ${pid}`, { firstSeen: 0, lastAlive: 900 }));
  const chart = drawTimeline(trace([root, helper, ...kids]), { width: 100, maxRows: 3 });
  assert.not.match(chart, /esbuild/);
  assert.match(chart, /… and 2 more processes/);
});

test("output lines are marked on their own row; stderr stands out", () => {
  const out = [{ at: 100, stream: "stdout" as const }, { at: 900, stream: "stderr" as const }];
  const chart = drawTimeline(trace([root], { output: out }), { width: 100 });
  const cells = bar(chart, "output");
  assert.is(cells.indexOf("|"), Math.floor(0.1 * cells.length));
  assert.is(cells.indexOf("!"), Math.floor(0.9 * cells.length));
});

test("without a width (a pipe) the bar takes its natural width; a narrow terminal moves the notes under the chart", () => {
  const z = proc(11, 10, "child.ts", { firstSeen: 0, lastAlive: 200, endedAt: 204, zombieFrom: 204, zombieUntil: 800, goneAt: 804,
    parents: [{ ppid: 1, at: 500 }] });
  const natural = drawTimeline(trace([root, z]));
  assert.is(bar(natural, "child.ts").length, 72);
  assert.match(natural, /│ zombie 600 ms, adopted by 1 at 500 ms/);
  const narrow = drawTimeline(trace([root, z]), { width: 80 });
  assert.ok(bar(narrow, "child.ts").length >= 30, `room for the bar at 80 columns:\n${narrow}`);
  assert.ok(narrow.split("\n").every((l) => l.length <= 80), `nothing past 80 columns:\n${narrow}`);
  assert.match(narrow, /^ +11 +zombie 600 ms, adopted by 1 at 500 ms$/m, "the note on a line of its own");
});

test("a process is named by its program and arguments, never by its loader's flags", () => {
  const tsx = "file:///work/node_modules/tsx/dist/loader.mjs";
  assert.is(programName(["/usr/bin/node", "--import", tsx, "/k/task.ts"]), "task.ts");
  assert.is(programName(["/usr/bin/node", "--import", tsx, "/k/task.ts", "forked"]), "task.ts forked");
  assert.is(programName(["node", "--disable-warning=ExperimentalWarning", "/k/main.ts"]), "main.ts");
  assert.is(programName(["/bin/sleep", "31337"]), "sleep 31337");
  assert.is(programName([]), "(seen only dead)");
});

test("a real zombie: the child of the zombie fixture is drawn as one", async () => {
  const r = await run(fixture("zombie"), { args: ["600"] });
  const chart = drawTimeline(r, { width: 100 });
  assert.match(bar(chart, "node -e"), /▒{3,}/);
  assert.match(chart, /zombie \d+ ms/);
});

test("a real orphan: the child of the orphan fixture is drawn adopted", async () => {
  const r = await run(fixture("orphan"), { args: ["700"], graceMs: 2000 });
  const chart = drawTimeline(r, { width: 100 });
  assert.match(bar(chart, "node -e"), /↑/);
  assert.match(chart, new RegExp(`${r.descendants[0].pid} +${r.pid}→\\d+`));
});

test.run();
