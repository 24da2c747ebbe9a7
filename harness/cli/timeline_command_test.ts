// Self-test of `timeline`: every process of each run charted, and with --trace
// the runs written as a Chrome trace, read back as a viewer would.
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { ChromeTrace } from "../trace.ts";
import { inSandbox, runCli, textOf } from "./_sandbox.ts";

test("timeline charts every process of each run, and --trace writes them as a Chrome trace", () =>
  inSandbox({}, async (box) => {
    const r = await runCli(box, ["timeline", "91", "--solution", "--trace", "run.json"]);
    const out = textOf(r);
    assert.is(r.exitCode, 0, out);
    assert.match(out, "Run 1 of 1  judged by all 3 tests");
    assert.match(out, /^ +\d+ +\d+ +main\.ts +│ *█+/m);
    assert.match(out, /^ +\d+ +\d+ +child\.ts +│ *█+/m, "the child, under its parent");
    assert.match(out, "█ alive  ▒ zombie");
    assert.match(out, `Wrote 1 run (2 processes) as a Chrome trace to ${join(box.root, "run.json")}.`);
    // The trace, read as a viewer reads it: a track for every process the chart shows, each with its life.
    const trace = JSON.parse(box.read("run.json")) as ChromeTrace;
    assert.ok(Array.isArray(trace.traceEvents) && trace.displayTimeUnit === "ms");
    const charted = [...out.matchAll(/^ +(\d+) +\d+ +\S.*│/gm)].map((m) => Number(m[1])).sort((a, b) => a - b);
    const names = trace.traceEvents.filter((e) => e.ph === "M" && e.name === "thread_name");
    assert.equal(names.map((e) => e.tid).sort((a, b) => a - b), charted, "a track for every observed process");
    assert.match(String(names[0].args?.name), /^main\.ts · pid \d+$/);
    assert.match(String(names[1].args?.name), /^└ child\.ts · pid \d+$/, "the child under its parent");
    for (const tid of charted) {
      assert.ok(trace.traceEvents.some((e) => e.tid === tid && e.ph === "X" && e.name === "alive" && e.dur! > 0), `pid ${tid} alive`);
    }
    const lines = trace.traceEvents.filter((e) => e.ph === "i" && e.cat === "stdout").map((e) => e.args?.text);
    assert.ok(lines.some((l) => /^main: started \d+$/.test(String(l))), "the program's output as instants");
  }));

test.run();
