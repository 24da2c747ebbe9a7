// Self-tests of watch mode's keys and flags, driven as a learner would without a
// terminal: keys typed as lines on stdin; --poll and --edit-cmd; an interrupt.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { FIXTURE, FIXTURE_TWO, SOLUTION, STUB } from "./_fixture_kata.ts";
import {
  expectAfter,
  HANG,
  inSandbox,
  isAlive,
  programsSeen,
  REPLY_MS,
  startCli,
  textOf,
  VERDICT_MS,
} from "./_sandbox.ts";

const MAIN = `katas/${FIXTURE}/main.ts`;

test("--poll sees a save where change events may never come; --edit-cmd opens the file to edit", () =>
  inSandbox({}, async (box) => {
    // The "editor" copies the files it is given into opened/, so the test can see what it was asked to open.
    mkdirSync(join(box.root, "opened"));
    const cli = startCli(box, ["watch", "--poll", "--edit-cmd", `cp -t ${join(box.root, "opened")}`]);
    await cli.waitForLine("Running the tests against your files…", { timeoutMs: VERDICT_MS });
    // Polled every half second, but a starved process may poll late: as long as a verdict may take.
    await expectAfter(cli, () => box.write(MAIN, SOLUTION), "main.ts changed: running the tests again…", VERDICT_MS);
    cli.stdin.write("q\n");
    const r = await cli.result;
    assert.is(r.exitCode, 0, textOf(r));
    assert.equal(r.leftovers, []);
    assert.ok(existsSync(join(box.root, "opened", "main.ts")), "the editor was asked to open main.ts");
  }));

test("an interrupted CLI leaves nothing of its run behind", () =>
  inSandbox({}, async (box) => {
    box.write(MAIN, HANG);
    const cli = startCli(box, ["watch"]);
    const hanging = await programsSeen(box, MAIN);
    cli.kill("SIGINT");
    const r = await cli.result;
    assert.ok(r.signal === "SIGINT" || r.exitCode === 130, `ended by the interrupt (${r.signal}, ${r.exitCode})`);
    assert.equal(r.leftovers, []);
    assert.equal(hanging.filter(isAlive), [], "the hanging program is gone");
  }));

test("keys: hint, reset after asking, list and pick a kata, any other key shows the menu", () =>
  inSandbox({ fixtures: 2, git: true }, async (box) => {
    const cli = startCli(box, ["watch"]);
    await cli.waitForLine(`✗ not yet  ${FIXTURE}`, { timeoutMs: VERDICT_MS });
    const key = (k: string, reply: RegExp | string, ms = REPLY_MS) => expectAfter(cli, () => cli.stdin.write(`${k}\n`), reply, ms);
    await key("h", `Hint for ${FIXTURE}:`);
    await key("?", /^n next kata \(once this one passes\) · h hint · l list the katas and pick one/);
    await expectAfter(cli, () => box.write(MAIN, `${STUB}// tried something\n`), `✗ not yet  ${FIXTURE}`, VERDICT_MS);
    await key("x", `Put back ${MAIN} as given?`);
    await key("y", `Reset ${MAIN} to the kata's stub`);
    assert.is(box.read(MAIN), STUB);
    await key("l", "Type a kata's number and Enter");
    await key("92", `▶ ${FIXTURE_TWO}`);
    cli.stdin.write("q\n");
    const r = await cli.result;
    assert.is(r.exitCode, 0, textOf(r));
    assert.equal(r.leftovers, []);
    assert.is(JSON.parse(box.read(".kata-state.json")).current, FIXTURE_TWO);
  }));

test.run();
