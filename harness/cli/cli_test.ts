// Self-tests of the learner's CLI without a terminal: each command run as a real
// process on a throwaway workspace, judged by what it prints and its exit code.
// (reset_test.ts: reset; verdict_test.ts, hostile_test.ts, timeline_command_test.ts: verdicts.)
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { nodeRunsTypeScript } from "../_loader.ts";
import { ROOT } from "../katas.ts";
import { FIXTURE, FIXTURE_TWO, SOLUTION } from "./_fixture_kata.ts";
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
    assert.match(out, `The task is in katas/${KATA}/README.md.`);
    assert.equal(JSON.parse(box.read(".kata-state.json")).started, [KATA]);
    const notice = "about four times slower; Node 24 or later runs them natively";
    if (nodeRunsTypeScript()) assert.not.match(r.stderr, notice);
    else assert.is(r.stderr.split(notice).length, 2, `said once, on Node ${process.versions.node}`);
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

test("help, --version, list with its filters, and colour when FORCE_COLOR asks for it", () =>
  inSandbox({ fixtures: 2 }, async (box) => {
    box.write(".kata-state.json", JSON.stringify({ done: [FIXTURE_TWO], started: [FIXTURE_TWO] }));
    // None of these runs a kata: started side by side.
    const [help, longHelp, version, done, todo, word, none, both, plain, forced] = await Promise.all([
      ["help"], ["--help"], ["--version"], ["list", "--done"], ["list", "--todo"], ["list", "AGAIN"],
      ["list", "nothing-like-it"], ["list", "--done", "--todo"], ["list"],
    ].map((args) => runCli(box, args)).concat(runCli(box, ["list"], "", { FORCE_COLOR: "1" })));
    assert.is(help.exitCode, 0);
    assert.match(textOf(help), "Usage: npx kata [command] [kata] [flags]");
    assert.match(textOf(help), "--trace FILE");
    assert.is(textOf(longHelp), textOf(help));
    assert.match(textOf(version), /^process-katas \d+\.\d+\.\d+ \(Node \d+/);
    // The bin that npx runs: plain JavaScript, started by Node with no flag.
    const bin = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).bin.kata;
    const viaBin = execFileSync(process.execPath, [join(ROOT, bin), "--version"], { encoding: "utf8" });
    assert.is(viaBin, `${textOf(version)}\n`);
    assert.match(textOf(done), FIXTURE_TWO);
    assert.not.match(textOf(done), FIXTURE);
    assert.match(textOf(done), "(1 of 2: done)");
    assert.match(textOf(todo), FIXTURE);
    assert.not.match(textOf(todo), FIXTURE_TWO);
    assert.match(textOf(word), FIXTURE_TWO, "a word in the folder's name, in any case");
    assert.not.match(textOf(word), `${FIXTURE} `);
    assert.match(textOf(none), 'No kata matching "nothing-like-it".');
    assert.is(both.exitCode, 2);
    assert.not.match(textOf(plain), /\x1b\[/, "no colour into a pipe");
    assert.match(textOf(forced), /\x1b\[32m/, "FORCE_COLOR colours a pipe");
  }));

test("a damaged progress file is kept aside and said, never a crash", () =>
  inSandbox({}, async (box) => {
    box.write(".kata-state.json", '{"done": 5}');
    const r = await runCli(box, ["list"]);
    assert.is(r.exitCode, 0, textOf(r));
    assert.match(r.stderr, 'Your progress file .kata-state.json was damaged: its "done" is not a list of kata names.');
    const backups = readdirSync(box.root).filter((f) => f.startsWith(".kata-state.json.broken-"));
    assert.is(backups.length, 1);
    assert.is(box.read(backups[0]), '{"done": 5}');
    assert.match(textOf(r), "not started");
    box.write(".kata-state.json", "not json at all");
    const again = await runCli(box, ["list"]);
    assert.is(again.exitCode, 0);
    assert.match(again.stderr, "it is not JSON");
    assert.is((await runCli(box, ["list"])).stderr, "", "once replaced, nothing more to say");
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

test.run();
