// Self-tests of the learner's CLI without a terminal: each command run as a real
// process on a throwaway workspace, judged by what it prints and its exit code.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { FIXTURE, FIXTURE_TWO, SOLUTION, STUB } from "./_fixture_kata.ts";
import { inSandbox, KATA, runCli, textOf } from "./_sandbox.ts";

const MAIN = `katas/${FIXTURE}/main.ts`;

test("with no command and no terminal: one run of kata 01, its verdict and hint, exit code 1", () =>
  inSandbox({ kata01: true, fixtures: 0 }, async (box) => {
    const r = await runCli(box, []);
    const out = textOf(r);
    assert.is(r.exitCode, 1, out);
    assert.match(out, `✗ not yet  ${KATA}`);
    assert.match(out, "Failing check: each child is a distinct real process whose parent is the program");
    assert.match(out, "Expected a child process of main.ts");
    assert.match(out, `Edit: katas/${KATA}/main.ts`);
    assert.match(out, `Hint for ${KATA}:`);
    assert.not.match(out, /\x1b\[/, "no colour when the output is piped");
    assert.equal(JSON.parse(box.read(".kata-state.json")).started, [KATA]);
  }));

test("run passes once the file is right; list shows it done; its solution opens", () =>
  inSandbox({ fixtures: 2 }, async (box) => {
    box.write(MAIN, `${SOLUTION}// mine\n`);
    const r = await runCli(box, ["run", "91"]);
    assert.is(r.exitCode, 0, textOf(r));
    assert.match(textOf(r), `✓ passed  ${FIXTURE}`);
    assert.match(textOf(r), "✓ the program prints before its child ends", "each check as it passes");
    const list = textOf(await runCli(box, ["list"]));
    assert.match(list, new RegExp(`91 +done +${FIXTURE}`));
    assert.match(list, new RegExp(`▶ 92 +not started +${FIXTURE_TWO}`), "the current kata is the first not done");
    assert.match(list, /\[#{15}-{15}\] 1\/2 katas done/);
    const shown = await runCli(box, ["solution", "fork_child"]);
    assert.is(shown.exitCode, 0);
    assert.match(textOf(shown), `── solutions/${FIXTURE}/main.ts ──`);
    assert.match(textOf(shown), "const child = fork(CHILD);");
    assert.not.match(textOf(shown), "child.ts ──", "a file given whole is not shown: it is the same as yours");
  }));

test("a kata is named by number or name; an unknown one gets the list of valid names", () =>
  inSandbox({ kata01: true, fixtures: 1 }, async (box) => {
    for (const name of ["01", "create_process"]) {
      const r = await runCli(box, ["hint", name]);
      assert.is(r.exitCode, 0);
      assert.match(textOf(r), `Hint for ${KATA}:`);
    }
    const unknown = await runCli(box, ["run", "9"]);
    assert.is(unknown.exitCode, 2);
    assert.match(unknown.stderr, `No kata is called "9"`);
    assert.match(unknown.stderr, `  ${KATA}\n  ${FIXTURE}`);
    const command = await runCli(box, ["frobnicate"]);
    assert.is(command.exitCode, 2);
    assert.match(command.stderr, `Unknown command "frobnicate"`);
    assert.is((await runCli(box, ["list", "--bogus"])).exitCode, 2);
  }));

test("the solution stays closed before the kata passes, unless forced", () =>
  inSandbox({}, async (box) => {
    const closed = await runCli(box, ["solution", "91"]);
    assert.is(closed.exitCode, 1);
    assert.match(textOf(closed), "opens once your files pass");
    assert.not.match(textOf(closed), "fork(CHILD)");
    const forced = await runCli(box, ["solution", "91", "--force"]);
    assert.is(forced.exitCode, 0);
    assert.match(textOf(forced), "fork(CHILD)");
  }));

test("reset asks first, and puts the original back only on yes", () =>
  inSandbox({ git: true }, async (box) => {
    box.write(MAIN, SOLUTION);
    const no = await runCli(box, ["reset", "91"], "n\n");
    assert.is(no.exitCode, 1);
    assert.match(textOf(no), `Put back the original ${MAIN}?`);
    assert.is(box.read(MAIN), SOLUTION, "kept on no");
    const yes = await runCli(box, ["reset", "91"], "y\n");
    assert.is(yes.exitCode, 0, textOf(yes));
    assert.is(box.read(MAIN), STUB);
    assert.match(textOf(await runCli(box, ["reset", "91"])), "Nothing to reset");
  }));

test("reset without git says why it cannot", () =>
  inSandbox({}, async (box) => {
    const r = await runCli(box, ["reset", "91", "--yes"]);
    assert.is(r.exitCode, 1);
    assert.match(r.stderr, "is not a git checkout");
  }));

test.run();
