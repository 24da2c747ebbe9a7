// Self-tests of the CLI's verdicts, run as a real process on throwaway workspaces:
// verify, the timeline, the chart of a failed check, programs that crash, hang or flood.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DEADLINE_VAR, FIXTURE, FIXTURE_TWO, SOLUTION, WAITS_FIRST } from "./_fixture_kata.ts";
import { inSandbox, makeSandbox, runCli, textOf } from "./_sandbox.ts";

const MAIN = `katas/${FIXTURE}/main.ts`;
/** A deadline short enough for a hanging program's verdict to come soon. */
const SHORT_DEADLINE_MS = 8000;

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
    assert.match(textOf(all), `✓ ${FIXTURE_TWO}`);
    assert.match(textOf(all), "1/2 katas done");
  }));

test("timeline charts every process of each run of the program", () =>
  inSandbox({}, async (box) => {
    const r = await runCli(box, ["timeline", "91", "--solution"]);
    const out = textOf(r);
    assert.is(r.exitCode, 0, out);
    assert.match(out, "Run 1 of 1  judged by all 3 tests");
    assert.match(out, /^ +\d+ +\d+ +main\.ts +│ *█+/m);
    assert.match(out, /^ +\d+ +\d+ +child\.ts +│ *█+/m, "the child, under its parent");
    assert.match(out, "█ alive  ▒ zombie");
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

test("a program that crashes at import, hangs, or floods gets a verdict, not a stuck screen", async () => {
  const programs = {
    crash: `throw new Error("boom at import");\n`,
    hang: `setInterval(() => {}, 1000);\n`,
    // Long lines reach the harness's limit on characters even if the machine is too busy to write many.
    flood: `const line = "flood ".repeat(20_000) + "\\n";\n` +
      `const write = () => { while (process.stdout.write(line)); process.stdout.once("drain", write); };\nwrite();\n`,
  };
  const boxes = Object.values(programs).map((text) => {
    const box = makeSandbox();
    box.write(MAIN, text);
    return box;
  });
  try {
    const env = { [DEADLINE_VAR]: String(SHORT_DEADLINE_MS) };
    const runs = await Promise.all(boxes.map((box) => runCli(box, ["run", "91"], "", env)));
    const [crash, hang, flood] = runs.map((r) => {
      assert.is(r.timedOut, false);
      assert.is(r.exitCode, 1, textOf(r));
      assert.match(textOf(r), "✗ not yet");
      return textOf(r);
    });
    assert.match(crash, "main.ts exited with code 1");
    assert.match(crash, "Error: boom at import");
    assert.match(hang, `still running at its ${SHORT_DEADLINE_MS} ms deadline`);
    assert.match(flood, `still running at its ${SHORT_DEADLINE_MS} ms deadline`);
    assert.match(flood, "printed more than the harness keeps");
  } finally {
    for (const box of boxes) box.remove();
  }
});

test.run();
