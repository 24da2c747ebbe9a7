// Self-tests of the CLI's verdicts, run as a real process on throwaway workspaces:
// verify, the chart of a failed check, a type error.
// (timeline_command_test.ts: the timeline and its trace; hostile_test.ts: programs that crash, hang, flood.)
import { test } from "uvu";
import * as assert from "uvu/assert";
import { FIXTURE, FIXTURE_TWO, SOLUTION, WAITS_FIRST } from "./_fixture_kata.ts";
import { inSandbox, runCli, textOf } from "./_sandbox.ts";

const MAIN = `katas/${FIXTURE}/main.ts`;

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

test.run();
