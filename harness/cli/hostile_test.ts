// Self-test of the CLI's verdicts on hostile programs, side by side: one that
// crashes at import, hangs, floods, kills its test runner or stops it. Each
// gets a verdict that says what happened, and nothing is left stuck.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DEADLINE_VAR, FIXTURE } from "./_fixture_kata.ts";
import { makeSandbox, runCli, textOf } from "./_sandbox.ts";

const MAIN = `katas/${FIXTURE}/main.ts`;
/**
 * A deadline short enough for a hanging program's verdict to come soon, long
 * enough for a flooding one to start and flood on a machine loaded far past its cores.
 */
const SHORT_DEADLINE_MS = 20_000;

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
