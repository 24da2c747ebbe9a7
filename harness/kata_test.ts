// Tests of what a kata's test file uses (kata.ts) and of running one (test_file.ts),
// on a tiny kata in a throwaway folder: which program the tests get (the
// learner's, the solution built over the given files, a mistake over that),
// and what a report carries (a failure as data: its kind and its intervals).
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROOT } from "./katas.ts";
import { runTestFile } from "./test_file.ts";

const GIVEN = "export const WORD = \"given\";\n";
const STUB = "import { WORD } from \"./word.ts\";\n// TODO: print the word twice\nconsole.log(WORD);\n";
const SOLUTION = "import { WORD } from \"./word.ts\";\nconsole.log(WORD);\nconsole.log(WORD);\n";
const MISTAKE = `Mistake: prints once.
Concept: counting
Test: the word comes twice
Lesson: twice

--- a/main.ts
+++ b/main.ts
@@ -1,3 +1,2 @@
 import { WORD } from "./word.ts";
 console.log(WORD);
-console.log(WORD);
`;
const TESTS = `import { fail, kataSuite, once, stdoutLines, tempDir } from "../../harness/mod.ts";
import { existsSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";

const { test, program } = kataSuite(import.meta.url, { unitMs: 10, deadlineMs: 20_000 });
const mainRun = once(() => program.run("main.ts"));
let scratch = "";

test("the word comes twice", async () => {
  scratch = tempDir("kata-unit-");
  writeFileSync(join(scratch, "note"), "x");
  writeSync(1, \`scratch \${scratch}\\n\`);
  const lines = stdoutLines(await mainRun());
  if (lines.length !== 2) {
    fail(\`Expected the word twice, but it came \${lines.length} time(s).\`, {
      kind: "timing",
      intervals: [{ label: "run", start: 1, end: 2 }],
    });
  }
});

test("the given file was there", async () => {
  if (!existsSync(program.path("word.ts"))) fail("no word.ts");
});

test.run();
`;

/** A kata whose program never ends: one test judges its run with allowFailure, one ends its own run early. */
const HANG = "setInterval(() => {}, 1000);\n";
const HANG_TESTS = `import { fail, kataSuite } from "../../harness/mod.ts";

const { test, program } = kataSuite(import.meta.url, { deadlineMs: 1500 });

test("it forks a child", async () => {
  const r = await program.run("main.ts", { allowFailure: true });
  if (r.descendants.length === 0) fail("Expected a child process, but the harness saw none.");
});

test("a run the test ends itself", async () => {
  const running = program.start("main.ts");
  await running.expire();
  await running.result;
  fail("The test's own words.");
});

test.run();
`;

function withKata(
  fn: (root: string, testFile: string) => Promise<void>,
  files: { stub?: string; tests?: string } = {},
): () => Promise<void> {
  return async () => {
    const root = mkdtempSync(join(tmpdir(), "kata-unit-root-"));
    try {
      const kata = join(root, "katas", "99_twice");
      const solution = join(root, "solutions", "99_twice");
      mkdirSync(kata, { recursive: true });
      mkdirSync(join(solution, "mistakes"), { recursive: true });
      writeFileSync(join(kata, "README.md"), "# 99 · Twice\n");
      writeFileSync(join(kata, "word.ts"), GIVEN);
      writeFileSync(join(kata, "main.ts"), files.stub ?? STUB);
      writeFileSync(join(kata, "main_test.ts"), files.tests ?? TESTS);
      writeFileSync(join(solution, "main.ts"), SOLUTION);
      writeFileSync(join(solution, "mistakes", "once.patch"), MISTAKE);
      symlinkSync(join(ROOT, "harness"), join(root, "harness"));
      symlinkSync(join(ROOT, "node_modules"), join(root, "node_modules"));
      writeFileSync(join(root, "package.json"), '{ "type": "module" }\n');
      await fn(root, join(kata, "main_test.ts"));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
}

test("the stub fails with its failure as data: kind and intervals in the report", withKata(async (_root, file) => {
  const r = await runTestFile(file);
  assert.is(r.passed, false);
  const first = r.reports[0];
  assert.is(first.test, "the word comes twice");
  assert.is(first.error?.kind, "timing");
  assert.equal(first.error?.intervals, [{ label: "run", start: 1, end: 2 }]);
  assert.is(first.error?.message, "Expected the word twice, but it came 1 time(s).");
  assert.ok(first.runs?.length === 1 && first.used?.length === 1, "the run it judged is reported with it");
}));

test("the solution runs over the given files; a mistake over the solution", withKata(async (_root, file) => {
  const solution = await runTestFile(file, { target: "solution" });
  assert.ok(solution.passed, solution.run.stdout + solution.run.stderr);
  assert.is(solution.reports.length, 2, "the given word.ts was beside the solution's main.ts");
  const mistake = await runTestFile(file, { target: "solution", mistake: join(file, "..", "..", "..", "solutions", "99_twice", "mistakes", "once.patch") });
  assert.is(mistake.passed, false);
  assert.is(mistake.reports.find((t) => !t.ok)?.test, "the word comes twice");
}));

test("a test file stopped at its first failure leaves no temporary folder behind", withKata(async (_root, file) => {
  const r = await runTestFile(file, { stopAtFirstFailure: true });
  assert.is(r.reports.length, 1, "no report after the first failure");
  const scratch = /scratch (\S+)/.exec(r.run.stdout)?.[1];
  assert.ok(scratch, r.run.stdout);
  assert.not.ok(existsSync(scratch!), `${scratch} was removed`);
}));

test("a run that hung until its deadline heads the lesson; one the test ended itself is not news", withKata(async (_root, file) => {
  const r = await runTestFile(file);
  const [hung, ended] = r.reports;
  assert.is(hung.error?.kind, "deadline");
  const lines = hung.error?.message.split("\n") ?? [];
  assert.match(lines[0], /^The run did not end by itself: main\.ts was still running at its 1500 ms deadline/);
  const then = lines.indexOf("Then the check failed:");
  assert.ok(then > 0, hung.error?.message);
  assert.is(lines[then + 1], "Expected a child process, but the harness saw none.");
  assert.is(ended.error?.message, "The test's own words.");
  assert.is(ended.error?.kind, "check");
}, { stub: HANG, tests: HANG_TESTS }));

test.run();
