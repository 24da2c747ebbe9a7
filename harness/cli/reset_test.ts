// Self-tests of reset, run as a real CLI on throwaway git workspaces: it goes back
// to the kata's stub (even after the learner commits an attempt), keeps what it
// replaces, and brings back files that went missing.
import { execFileSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { FIXTURE, README, SOLUTION, STUB } from "./_fixture_kata.ts";
import { inSandbox, runCli, type Sandbox, textOf } from "./_sandbox.ts";

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
