// Self-tests of the CLI's verdicts, run as a real process on throwaway workspaces:
// verify, the timeline, the chart of a failed check, programs that crash, hang or flood.
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { ChromeTrace } from "../trace.ts";
import { DEADLINE_VAR, FIXTURE, FIXTURE_TWO, SOLUTION, WAITS_FIRST } from "./_fixture_kata.ts";
import { inSandbox, makeSandbox, runCli, textOf } from "./_sandbox.ts";

const MAIN = `katas/${FIXTURE}/main.ts`;
/**
 * A deadline short enough for a hanging program's verdict to come soon, long
 * enough for a flooding one to start and flood on a machine loaded far past its cores.
 */
const SHORT_DEADLINE_MS = 20_000;

test("verify stops at the first failing kata, unless told to keep going", () =>
  inSandbox({ fixtures: 2 }, async (box) => {
    box.write(`katas/${FIXTURE_TWO}/main.ts`, SOLUTION);
    const stop = await runCli(box, ["verify"]);
    assert.is(stop.exitCode, 1);
    assert.match(textOf(stop), `✗ ${FIXTURE}  fails: the program forks a child`);
    assert.match(textOf(stop), "Failing check:", "with the lesson of the kata that failed");
    assert.not.match(textOf(stop), FIXTURE_TWO);
    const all = await runCli(box, ["verify", "--keep-going"]);
    assert.is(all.exitCode, 1);
    assert.match(textOf(all), `✗ ${FIXTURE}`);
    assert.match(textOf(all), `✓ ${FIXTURE_TWO}`, textOf(all));
    assert.match(textOf(all), "1/2 katas done");
  }));

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

test("a program whose tests pass with a type error is not done yet, and the type error says where", () =>
  inSandbox({}, async (box) => {
    box.write(MAIN, `${SOLUTION}const count: number = "three";\n`);
    const r = await runCli(box, ["run", "91"]);
    const out = textOf(r);
    assert.is(r.exitCode, 1, out);
    assert.match(out, `✗ not yet  ${FIXTURE}: Fork a child  (all 3 checks pass`);
    assert.match(out, "The tests pass, but tsc finds a type error in your files:");
    assert.match(out, /katas\/91_fork_child\/main\.ts\(\d+,\d+\): error TS2322/);
    assert.is(JSON.parse(box.read(".kata-state.json")).done.length, 0, "not recorded as done");
  }));

test("a failed timing check comes with the chart of the run it judged", () =>
  inSandbox({}, async (box) => {
    box.write(MAIN, WAITS_FIRST);
    const r = await runCli(box, ["run", "91"]);
    const out = textOf(r);
    assert.is(r.exitCode, 1, out);
    assert.match(out, "Failing check: the program prints before its child ends");
    assert.match(out, "What the harness saw in that run:");
    assert.match(out, /child\.ts +│ *█+/);
  }));

test("a program that crashes at import, hangs, floods, or kills or stops its test runner gets a verdict, not a stuck screen", async () => {
  // A hang and a flood end at a short deadline, so that their verdict comes soon; the
  // others keep the fixture's long one, since they must start (slow on a loaded machine) to do harm.
  const programs: Record<string, { text: string; deadlineMs?: number }> = {
    crash: { text: `throw new Error("boom at import");\n` },
    hang: { text: `setInterval(() => {}, 1000);\n`, deadlineMs: SHORT_DEADLINE_MS },
    killsRunner: { text: `process.kill(process.ppid, "SIGTERM");\nsetInterval(() => {}, 1000);\n` },
    stopsRunner: { text: `process.kill(process.ppid, "SIGSTOP");\nsetInterval(() => {}, 1000);\n` },
    // Long lines reach the harness's limit on characters even if the machine is too busy to write many.
    flood: {
      text: `const line = "flood ".repeat(20_000) + "\\n";\n` +
        `const write = () => { while (process.stdout.write(line)); process.stdout.once("drain", write); };\nwrite();\n`,
      deadlineMs: SHORT_DEADLINE_MS,
    },
  };
  const boxes = Object.values(programs).map(({ text }) => {
    const box = makeSandbox();
    box.write(MAIN, text);
    return box;
  });
  try {
    const runs = await Promise.all(Object.values(programs).map(({ deadlineMs }, i) =>
      runCli(boxes[i], ["run", "91"], "", deadlineMs ? { [DEADLINE_VAR]: String(deadlineMs) } : {})
    ));
    const [crash, hang, killsRunner, stopsRunner, flood] = runs.map((r) => {
      assert.is(r.timedOut, false);
      assert.is(r.exitCode, 1, textOf(r));
      assert.match(textOf(r), "✗ not yet");
      return textOf(r);
    });
    assert.match(crash, "Error: boom at import", crash);
    assert.match(hang, `still running at its ${SHORT_DEADLINE_MS} ms deadline`, hang);
    assert.match(flood, `still running at its ${SHORT_DEADLINE_MS} ms deadline`, flood);
    assert.match(flood, "printed more than the harness keeps", flood);
    assert.match(killsRunner, "The tests were cut short:\n  The test runner was killed by SIGTERM", killsRunner);
    assert.match(stopsRunner, "The tests were cut short:\n  The test runner was stopped by a signal", stopsRunner);
    assert.not.match(stopsRunner, "deadline", "ended at once, not at its deadline");
  } finally {
    for (const box of boxes) box.remove();
  }
});

test.run();
