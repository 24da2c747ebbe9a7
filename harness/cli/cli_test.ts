// Self-tests of the learner's CLI without a terminal: each command run as a real
// process on a throwaway workspace, judged by what it prints and its exit code.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { nodeRunsTypeScript } from "../_loader.ts";
import { ROOT } from "../katas.ts";
import { FIXTURE, FIXTURE_TWO, README, SOLUTION, STUB } from "./_fixture_kata.ts";
import { inSandbox, KATA, runCli, type Sandbox, textOf } from "./_sandbox.ts";

const MAIN = `katas/${FIXTURE}/main.ts`;
const CHILD = `katas/${FIXTURE}/child.ts`;
const KATA_README = `katas/${FIXTURE}/README.md`;

/** Commits the sandbox's files as the learner (git's user.email set to theirs, unlike the katas' author). */
function commitAsLearner(box: Sandbox, message: string): void {
  const git = (...args: string[]) => execFileSync("git", ["-C", box.root, ...args], { stdio: "ignore" });
  git("config", "user.email", "learner@example.invalid");
  git("config", "user.name", "learner");
  git("commit", "-q", "-a", "-m", message);
}

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
    const help = await runCli(box, ["help"]);
    assert.is(help.exitCode, 0);
    assert.match(textOf(help), "Usage: npx kata [command] [kata] [flags]");
    assert.match(textOf(help), "--trace FILE");
    assert.is(textOf(await runCli(box, ["--help"])), textOf(help));
    const version = await runCli(box, ["--version"]);
    assert.match(textOf(version), /^process-katas \d+\.\d+\.\d+ \(Node \d+/);
    // The bin that npx runs: plain JavaScript, started by Node with no flag.
    const bin = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).bin.kata;
    const viaBin = execFileSync(process.execPath, [join(ROOT, bin), "--version"], { encoding: "utf8" });
    assert.is(viaBin, `${textOf(version)}\n`);
    box.write(".kata-state.json", JSON.stringify({ done: [FIXTURE_TWO], started: [FIXTURE_TWO] }));
    const done = textOf(await runCli(box, ["list", "--done"]));
    assert.match(done, FIXTURE_TWO);
    assert.not.match(done, FIXTURE);
    assert.match(done, "(1 of 2: done)");
    const todo = textOf(await runCli(box, ["list", "--todo"]));
    assert.match(todo, FIXTURE);
    assert.not.match(todo, FIXTURE_TWO);
    const word = textOf(await runCli(box, ["list", "AGAIN"]));
    assert.match(word, FIXTURE_TWO, "a word in the folder's name, in any case");
    assert.not.match(word, `${FIXTURE} `);
    assert.match(textOf(await runCli(box, ["list", "nothing-like-it"])), 'No kata matching "nothing-like-it".');
    assert.is((await runCli(box, ["list", "--done", "--todo"])).exitCode, 2);
    assert.not.match(textOf(await runCli(box, ["list"])), /\x1b\[/, "no colour into a pipe");
    assert.match(textOf(await runCli(box, ["list"], "", { FORCE_COLOR: "1" })), /\x1b\[32m/, "FORCE_COLOR colours a pipe");
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

test("reset asks first, puts the stub back only on yes, and keeps the learner's version", () =>
  inSandbox({ git: true }, async (box) => {
    box.write(MAIN, SOLUTION);
    const no = await runCli(box, ["reset", "91"], "n\n");
    assert.is(no.exitCode, 1);
    assert.match(textOf(no), `Put back ${MAIN} as given? A copy of yours is kept in .kata-backups/.`);
    assert.is(box.read(MAIN), SOLUTION, "kept on no");
    const yes = await runCli(box, ["reset", "91"], "y\n");
    assert.is(yes.exitCode, 0, textOf(yes));
    assert.is(box.read(MAIN), STUB);
    const kept = /Your version is kept in (\.kata-backups\/91_fork_child\/[^/]+)\/\./.exec(textOf(yes));
    assert.ok(kept, textOf(yes));
    assert.is(box.read(`${kept![1]}/main.ts`), SOLUTION, "the learner's version, where the line says");
    assert.match(textOf(await runCli(box, ["reset", "91"])), "Nothing to reset");
  }));

test("after the learner commits an attempt, reset still goes back to the kata's stub", () =>
  inSandbox({ git: true }, async (box) => {
    box.write(MAIN, `${STUB}// my attempt\n`);
    commitAsLearner(box, "my attempt");
    const r = await runCli(box, ["reset", "91", "--yes"]);
    assert.is(r.exitCode, 0, textOf(r));
    assert.is(box.read(MAIN), STUB, "the stub, not the committed attempt");
    assert.match(textOf(r), "to the kata's stub (as of commit ");
  }));

test("a missing given file or README is named, and reset brings it back", () =>
  inSandbox({ git: true }, async (box) => {
    rmSync(join(box.root, CHILD));
    rmSync(join(box.root, KATA_README));
    const r = await runCli(box, ["run", "91"]);
    assert.is(r.exitCode, 1, textOf(r));
    assert.match(textOf(r), `Missing: ${CHILD}. It comes with the kata, and the tests cannot run without it.`);
    assert.match(textOf(r), `${KATA_README} is missing. npx kata reset 91 brings it back.`);
    const reset = await runCli(box, ["reset", "91", "--yes"]);
    assert.match(textOf(reset), "to the kata's stub (as of commit ");
    assert.not.match(textOf(reset), "kept in", "nothing of the learner's was replaced");
    assert.ok(existsSync(join(box.root, CHILD)));
    assert.is(box.read(KATA_README), README);
  }));

test("reset without git says why it cannot", () =>
  inSandbox({}, async (box) => {
    const r = await runCli(box, ["reset", "91", "--yes"]);
    assert.is(r.exitCode, 1);
    assert.match(r.stderr, "is not a git checkout");
    assert.match(r.stderr, "The stubs are in the project's git history");
  }));

test.run();
