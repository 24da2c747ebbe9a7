// Self-tests of the check: run on a copy of kata 01 with every defect the check
// exists to catch, it names each one and exits 1; on an intact copy, it passes.
import { cpSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROOT, ROOT_VAR } from "../katas.ts";
import { run, type RunResult } from "../run.ts";
import { inSandbox, KATA, type Sandbox } from "../cli/_sandbox.ts";

const CHECK = join(ROOT, "harness", "check", "mod.ts");
const CHECK_DEADLINE_MS = 120_000;

function runCheck(box: Sandbox): Promise<RunResult> {
  return run(CHECK, { args: ["--kata", "1"], env: { [ROOT_VAR]: box.root }, deadlineMs: CHECK_DEADLINE_MS });
}

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
    const r = await runCheck(box);
    assert.is(r.exitCode, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^4 passed, 0 failed$/m);
  }));

test("a broken kata fails item by item, each saying what is wrong, and the check exits 1", () =>
  inSandbox({ kata01: true, fixtures: 0 }, async (box) => {
    const solution = join(box.root, "solutions", KATA);
    // The stub is solved already, so its tests cannot fail.
    cpSync(join(solution, "main.ts"), join(box.root, "katas", KATA, "main.ts"));
    // A "wrong" solution that is right: the tests do not catch it.
    cpSync(join(solution, "main.ts"), join(solution, "_wrong", "right_after_all", "main.ts"));
    // The reference solution itself is broken: its child never starts.
    box.write(`solutions/${KATA}/main.ts`, 'console.log("main: nothing forked");\n');
    rmSync(join(box.root, "katas", KATA, "README.md"));

    const r = await runCheck(box);
    assert.is(r.exitCode, 1);
    assert.match(item(r, "has README"), /^FAIL .*\n.*README\.md is missing/);
    assert.match(item(r, "pass against the solution"), /^FAIL [^]*main_test\.ts: "[^"]+" failed/);
    assert.match(item(r, "fail against the stub"), /^FAIL [^]*passes against the stub: the tests cannot tell/);
    assert.match(item(r, "each wrong solution"), /^FAIL [^]*no test file fails against the wrong solution "right_after_all"/);
    assert.match(item(r, "no process of any test run"), /^ok  /);
    assert.match(r.stdout, /^1 passed, 4 failed$/m);
  }));

test.run();
