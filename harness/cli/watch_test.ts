// Self-tests of watch mode, driven as a learner would without a terminal: files
// written in the workspace, commands typed as lines on stdin.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { listPids, readArgv, readStat } from "../_proc.ts";
import { FIXTURE, FIXTURE_TWO, SOLUTION, STUB } from "./_fixture_kata.ts";
import { expectAfter, inSandbox, type Sandbox, startCli, textOf } from "./_sandbox.ts";

const MAIN = `katas/${FIXTURE}/main.ts`;
const HANG = `console.log("hanging");\nsetInterval(() => {}, 1000);\n`;
/** Waits for a verdict: a whole run of the kata (and its type check) on a heavily loaded machine. */
const VERDICT_MS = 180_000;
/** Waits for a reply to a key, which runs nothing. */
const REPLY_MS = 10_000;
/**
 * A cancelled run's program must be gone this soon after the save (the harness
 * kills it at once; left alone it would run to its 60 s deadline).
 */
const CANCEL_MS = 10_000;

const POLL_MS = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isAlive(pid: number): boolean {
  const state = readStat(pid)?.state;
  return state !== undefined && state !== "Z";
}

/** Waits until the sandbox's main.ts runs; its pids. */
async function programsSeen(box: Sandbox): Promise<number[]> {
  const main = join(box.root, MAIN);
  const until = Date.now() + VERDICT_MS;
  for (;;) {
    const pids = listPids().filter((pid) => isAlive(pid) && (readArgv(pid) ?? []).includes(main));
    if (pids.length > 0) return pids;
    assert.ok(Date.now() < until, "the kata's program was started");
    await sleep(POLL_MS);
  }
}

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
    const hanging = await programsSeen(box);
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
    const hanging = await programsSeen(box);
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
