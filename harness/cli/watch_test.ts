// Self-tests of watch mode, driven as a learner would without a terminal: files
// written in the workspace, commands typed as lines on stdin. A save runs the
// tests again, and cancels a run under way. (watch_keys_test.ts: keys and flags.)
import { test } from "uvu";
import * as assert from "uvu/assert";
import { FIXTURE, FIXTURE_TWO, SOLUTION } from "./_fixture_kata.ts";
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
/**
 * A cancelled run's program must be gone this soon after the save (the harness
 * kills it at once; left alone it would run to its deadline).
 */
const CANCEL_MS = 10_000;
const POLL_MS = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("a save runs the tests again; a pass offers the solution and the next kata; a restart comes back", () =>
  inSandbox({ fixtures: 2 }, async (box) => {
    const cli = startCli(box, ["watch"]);
    await cli.waitForLine(`✗ not yet  ${FIXTURE}`, { timeoutMs: VERDICT_MS });
    const saved = cli.now();
    const passed = await expectAfter(cli, () => box.write(MAIN, SOLUTION), `✓ passed  ${FIXTURE}`, VERDICT_MS);
    console.log(`  (save to verdict: ${Math.round(passed.at - saved)} ms)`);
    assert.ok(cli.lines.some((l) => l.text === "main.ts changed: running the tests again…"), "the save was seen");
    await cli.waitForLine(`Press n to go on to ${FIXTURE_TWO}`, { timeoutMs: REPLY_MS });
    assert.ok(cli.lines.slice(cli.lines.indexOf(passed)).some((l) => l.text.includes("1/2 katas done")), "the progress, right after the pass");
    await expectAfter(cli, () => cli.stdin.write("s\n"), `── solutions/${FIXTURE}/main.ts ──`, REPLY_MS);
    await expectAfter(cli, () => cli.stdin.write("n\n"), `▶ ${FIXTURE_TWO}`, REPLY_MS);
    cli.stdin.write("q\n"); // while kata 02's first run is under way
    const r = await cli.result;
    assert.is(r.exitCode, 0, textOf(r));
    assert.equal(r.leftovers, [], "quitting mid-run leaves nothing behind");
    assert.match(textOf(r), "Bye!");
    const state = JSON.parse(box.read(".kata-state.json"));
    assert.equal([state.done, state.current], [[FIXTURE], FIXTURE_TWO]);

    const again = startCli(box, ["watch"]);
    await again.waitForLine(`▶ ${FIXTURE_TWO}`, { timeoutMs: VERDICT_MS });
    again.stdin.write("q\n");
    assert.is((await again.result).exitCode, 0);
  }));

test("a save during a run cancels it and kills its processes; only the new verdict shows", () =>
  inSandbox({}, async (box) => {
    box.write(MAIN, HANG);
    const cli = startCli(box, ["watch"]);
    const hanging = await programsSeen(box, MAIN);
    const saved = Date.now();
    box.write(MAIN, SOLUTION);
    while (hanging.some(isAlive) && Date.now() < saved + CANCEL_MS) await sleep(POLL_MS);
    assert.equal(hanging.filter(isAlive), [], `the hanging program was killed within ${CANCEL_MS} ms of the save`);
    await cli.waitForLine(`✓ passed  ${FIXTURE}`, { timeoutMs: VERDICT_MS });
    cli.stdin.write("q\n");
    const r = await cli.result;
    assert.is(r.exitCode, 0);
    assert.not.match(textOf(r), "✗ not yet", "the cancelled run gave no verdict");
    assert.not.match(textOf(r), "deadline");
    assert.equal(r.leftovers, []);
  }));

test.run();
