// The check: every kata's tests pass against its solution and fail, fast and
// through a failed assertion, against its stub; every kata has its parts. With
// --self, the harness's own tests run first. Ends with `N passed, N failed`.
//
//   node --import tsx harness/check/mod.ts [--self] [--kata N]
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { allKatas, findKata, type Kata, programFiles, ROOT } from "../katas.ts";
import { runTestFile, type TestFileResult } from "../test_file.ts";
import { describeProcess, findMarked } from "../cleanup.ts";

/** A stub must fail its first test within this many ms of its test file starting. */
export const STUB_FAIL_LIMIT_MS = 2000;
/** Error names that mark a failed check rather than a crash. */
const ASSERTION_NAMES = new Set(["KataCheckError", "AssertionError", "Assertion"]);
const OUTPUT_TAIL_LINES = 30;

/** The outcome of one item of the check. */
interface Item {
  name: string;
  ok: boolean;
  detail: string;
}

/** Run ids of every test file run, to prove afterwards that nothing of them survived. */
const runIds: string[] = [];
const LEFTOVER_WAIT_MS = 3000;

function runTests(file: string, target: "learner" | "solution"): Promise<TestFileResult> {
  return runTestFile(file, { target }).then((r) => {
    runIds.push(r.run.runId);
    return r;
  });
}

/** After everything: no process of any run is alive (zombies adopted by pid 1 are dead). */
async function checkNothingLeft(): Promise<Item> {
  const until = Date.now() + LEFTOVER_WAIT_MS;
  let left = runIds.flatMap((id) => findMarked(id));
  while (left.length > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    left = runIds.flatMap((id) => findMarked(id));
  }
  return {
    name: "no process of any test run is left alive",
    ok: left.length === 0,
    detail: left.map(describeProcess).join("\n") || `${runIds.length} test runs`,
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function outputTail(r: TestFileResult): string {
  const text = (r.run.stdout + r.run.stderr).trimEnd().split("\n");
  return text.slice(-OUTPUT_TAIL_LINES).map((l) => `      ${l}`).join("\n");
}

/** README, hint, tests, TODO markers and a solution for every program file. */
function checkLayout(k: Kata): Item {
  const problems: string[] = [];
  if (!existsSync(k.learnerDir)) problems.push(`katas/${k.dir}/ does not exist`);
  if (!existsSync(join(k.learnerDir, "README.md"))) problems.push(`katas/${k.dir}/README.md is missing`);
  if (k.hint.trim().length === 0) problems.push("it has no hint in katas/info.ts");
  if (k.testFiles.length === 0) problems.push(`katas/${k.dir}/ has no *_test.ts file`);
  const stubs = programFiles(k.learnerDir);
  const todos = stubs.filter((f) => readFileSync(join(k.learnerDir, f), "utf8").includes("// TODO:"));
  if (todos.length === 0) problems.push("no stub file has a `// TODO:` marker");
  for (const f of stubs) {
    if (!existsSync(join(k.solutionDir, f))) problems.push(`solutions/${k.dir}/${f} is missing`);
  }
  for (const f of programFiles(k.solutionDir)) {
    if (readFileSync(join(k.solutionDir, f), "utf8").includes("// TODO:")) {
      problems.push(`solutions/${k.dir}/${f} still has a // TODO: marker`);
    }
  }
  return {
    name: `${k.dir}: has README, hint, tests, TODO markers and a solution`,
    ok: problems.length === 0,
    detail: problems.join("; "),
  };
}

async function checkSolution(k: Kata): Promise<Item> {
  const name = `${k.dir}: its tests pass against the solution`;
  const failures: string[] = [];
  let tests = 0;
  let ms = 0;
  for (const file of k.testFiles) {
    const r = await runTests(file, "solution");
    tests += r.reports.length;
    ms += r.run.durationMs;
    if (!r.passed) failures.push(`${relative(ROOT, file)} did not pass:\n${outputTail(r)}`);
  }
  if (k.testFiles.length === 0) failures.push("no test file");
  return { name, ok: failures.length === 0, detail: failures.join("\n") || `${tests} tests, ${seconds(ms)}` };
}

async function checkStub(k: Kata): Promise<Item> {
  const name = `${k.dir}: its tests fail against the stub, fast`;
  const problems: string[] = [];
  let firstAt = Infinity;
  for (const file of k.testFiles) {
    const r = await runTests(file, "learner");
    const first = r.reports.find((t) => !t.ok);
    const where = relative(ROOT, file);
    if (r.passed) {
      problems.push(`${where} passes against the stub: the stub is already done, or the tests cannot fail`);
    } else if (!first) {
      problems.push(`${where} crashed before any test failed:\n${outputTail(r)}`);
    } else if (!ASSERTION_NAMES.has(first.error?.name ?? "")) {
      problems.push(`${where}: the first failure is a ${first.error?.name}, not a failed check: ` +
        `${first.error?.message}`);
    } else {
      firstAt = Math.min(firstAt, first.endMs);
      if (first.endMs > STUB_FAIL_LIMIT_MS) {
        problems.push(`${where}: the first failure came ${seconds(first.endMs)} after the file started ` +
          `(limit ${seconds(STUB_FAIL_LIMIT_MS)})`);
      }
    }
  }
  return {
    name,
    ok: problems.length === 0,
    detail: problems.join("\n") || `first failure after ${seconds(firstAt)}`,
  };
}

async function checkSelf(): Promise<Item[]> {
  const items: Item[] = [];
  const files = readdirSync(join(ROOT, "harness"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith("_test.ts") && !f.startsWith("fixtures"))
    .sort();
  for (const f of files) {
    const r = await runTests(join(ROOT, "harness", f), "learner");
    const ok = r.run.exitCode === 0 && !r.run.timedOut;
    items.push({
      name: `harness/${f} passes`,
      ok,
      detail: ok ? seconds(r.run.durationMs) : outputTail(r),
    });
  }
  return items;
}

function print(item: Item): void {
  const mark = item.ok ? "ok  " : "FAIL";
  const detail = !item.detail
    ? ""
    : item.detail.includes("\n") || !item.ok
    ? `\n    ${item.detail.split("\n").join("\n    ")}`
    : ` (${item.detail})`;
  console.log(`${mark} ${item.name}${detail}`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { self: { type: "boolean" }, kata: { type: "string", multiple: true } },
  });
  const started = performance.now();
  const items: Item[] = [];
  const record = (item: Item) => {
    items.push(item);
    print(item);
  };
  if (values.self) for (const item of await checkSelf()) record(item);
  const katas = values.kata ? values.kata.map((n) => findKata(n)) : allKatas();
  for (const k of katas) {
    const layout = checkLayout(k);
    record(layout);
    if (!existsSync(k.learnerDir)) continue;
    record(await checkSolution(k));
    record(await checkStub(k));
  }
  record(await checkNothingLeft());
  const failed = items.filter((i) => !i.ok).length;
  console.log(`\nchecked ${katas.length} katas in ${seconds(performance.now() - started)}`);
  console.log(`${items.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
