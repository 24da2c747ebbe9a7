// Self-tests of the check: run on a copy of kata 01 with every defect it exists
// to catch, it names each one and exits 1; on an intact copy, it passes.
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROOT, ROOT_VAR } from "../katas.ts";
import { run, type RunResult } from "../run.ts";
import { inSandbox, KATA, type Sandbox } from "../cli/_sandbox.ts";

const CHECK = join(ROOT, "harness", "check", "mod.ts");
const CHECK_DEADLINE_MS = 150_000;

function runCheck(box: Sandbox): Promise<RunResult> {
  return run(CHECK, { args: ["--kata", "1"], env: { [ROOT_VAR]: box.root }, deadlineMs: CHECK_DEADLINE_MS });
}

/**
 * Keeps only the mistakes these tests use: they test the check, not kata 01,
 * so its other mistakes would only make them slower as the kata gains more.
 */
function keepMistakes(box: Sandbox): void {
  const dir = join(box.root, "solutions", KATA, "mistakes");
  for (const f of readdirSync(dir)) {
    if (!USED_MISTAKES.includes(f)) rmSync(join(dir, f));
  }
}
const USED_MISTAKES = ["exits_early.patch", "waits_before_printing.patch"];

/** The line of the check's output that starts with `ok` or `FAIL` and holds `item`, with its detail lines. */
function item(r: RunResult, name: string): string {
  const lines = r.lines.map((l) => l.text);
  const at = lines.findIndex((l) => /^(ok  |FAIL) /.test(l) && l.includes(name));
  assert.ok(at >= 0, `the check printed the item "${name}":\n${r.stdout}`);
  const detail = lines.slice(at + 1).findIndex((l) => !l.startsWith("    "));
  return lines.slice(at, detail < 0 ? undefined : at + 1 + detail).join("\n");
}

test("an intact kata passes every item, and the check exits 0", () =>
  inSandbox({ kata01: true, fixtures: 0 }, async (box) => {
    keepMistakes(box);
    const r = await runCheck(box);
    assert.is(r.exitCode, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^5 passed, 0 failed$/m);
  }));

test("a broken kata fails item by item, each saying what is wrong, and the check exits 1", () =>
  inSandbox({ kata01: true, fixtures: 0 }, async (box) => {
    keepMistakes(box);
    const solution = join(box.root, "solutions", KATA);
    // The stub is solved already, so its tests cannot fail.
    cpSync(join(solution, "main.ts"), join(box.root, "katas", KATA, "main.ts"));
    // A stray file in the learner's folder, and the README gone.
    box.write(`katas/${KATA}/_notes.ts`, "// a helper that belongs in _support/\n");
    rmSync(join(box.root, "katas", KATA, "README.md"));
    // The reference solution itself is broken: its children never start.
    box.write(`solutions/${KATA}/main.ts`, 'console.log("main: nothing forked");\n');

    const r = await runCheck(box);
    assert.is(r.exitCode, 1);
    const layout = item(r, "has its README");
    assert.match(layout, /^FAIL /);
    assert.match(layout, `katas/${KATA}/_notes.ts does not belong there`);
    assert.match(layout, "README.md is missing");
    assert.match(item(r, "pass against the solution"), /^FAIL [^]*main_test\.ts: "[^"]+" failed/);
    assert.match(item(r, "fail against the stub"), /^FAIL [^]*the tests pass against the stub: they cannot tell it from a solution/);
    assert.match(item(r, "each mistake"), /^FAIL [^]*no longer applies/, "the mistakes no longer fit the changed reference");
    assert.match(item(r, "no process of any test run"), /^ok  /);
    assert.match(r.stdout, /^1 passed, 4 failed$/m);
  }));

test("a mistake that names another test, lacks its lesson's word, or no longer applies fails the check", () =>
  inSandbox({ kata01: true, fixtures: 0 }, async (box) => {
    keepMistakes(box);
    const mistakes = join(box.root, "solutions", KATA, "mistakes");
    const early = join(mistakes, "exits_early.patch");
    writeFileSync(early, readFileSync(early, "utf8").replace(/^Test: .*$/m, "Test: a test that is not the first to fail"));
    const waits = join(mistakes, "waits_before_printing.patch");
    writeFileSync(waits, readFileSync(waits, "utf8").replace(/^Lesson: .*$/m, "Lesson: a word no lesson has"));
    // The line it removes is not in the reference.
    writeFileSync(join(mistakes, "stale.patch"), "Mistake: m\nConcept: c\nTest: t\nLesson: l\n\n" +
      "--- a/main.ts\n+++ b/main.ts\n@@ -1,2 +1,1 @@\n-a line the reference never had\n-nor this one\n+x\n");

    const r = await runCheck(box);
    assert.is(r.exitCode, 1);
    const caught = item(r, "each mistake");
    assert.match(caught, /^FAIL /);
    assert.match(caught, /exits_early: it should fail "a test that is not the first to fail" first, but the first test to fail was "/);
    assert.match(caught, /waits_before_printing: "[^"]+" failed, but its lesson does not say "a word no lesson has"/);
    assert.match(caught, /stale: hunk 1 of main\.ts \(at line 1\) no longer applies/);
    assert.match(r.stdout, /^4 passed, 1 failed$/m);
  }));

test.run();
