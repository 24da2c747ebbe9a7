// The items of the check, each a verdict with its detail: a kata's layout, its
// solution passing, its stub failing fast, its wrong solutions failing, the
// harness's self-tests, and nothing left alive afterwards.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { type Kata, programFiles, ROOT } from "../katas.ts";
import { runTestFile, type TestFileResult } from "../test_file.ts";
import { describeProcess, findMarked } from "../cleanup.ts";

/** Error names that mark a failed check rather than a crash. */
const ASSERTION_NAMES = new Set(["KataCheckError", "AssertionError", "Assertion"]);
const OUTPUT_TAIL_LINES = 30;
/** The folder of a solution that holds plausible wrong solutions. */
const WRONG_DIR = "_wrong";

/** A test file as the check names it: `katas/NN_name/main_test.ts`, wherever the katas are. */
function shownPath(k: Kata, file: string): string {
  return `katas/${k.dir}/${basename(file)}`;
}

/** The outcome of one item of the check. */
export interface Item {
  name: string;
  ok: boolean;
  detail: string;
}

/** Run ids of every test file run, to prove afterwards that nothing of them survived. */
const runIds: string[] = [];
const LEFTOVER_WAIT_MS = 3000;

function runTests(
  file: string,
  target: "learner" | "solution",
  targetDir?: string,
): Promise<TestFileResult> {
  return runTestFile(file, { target, targetDir }).then((r) => {
    runIds.push(r.run.runId);
    return r;
  });
}

/** After everything: no process of any run is alive (zombies adopted by pid 1 are dead). */
export async function checkNothingLeft(): Promise<Item> {
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

/** A duration for the check's lines: "1.4 s". */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function outputTail(r: TestFileResult): string {
  const text = (r.run.stdout + r.run.stderr).trimEnd().split("\n");
  return text.slice(-OUTPUT_TAIL_LINES).map((l) => `      ${l}`).join("\n");
}

/** README, hint, tests, TODO markers and a solution for every program file. */
export function checkLayout(k: Kata): Item {
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

export async function checkSolution(k: Kata): Promise<Item> {
  const name = `${k.dir}: its tests pass against the solution`;
  const failures: string[] = [];
  let tests = 0;
  let ms = 0;
  for (const file of k.testFiles) {
    const r = await runTests(file, "solution");
    tests += r.reports.length;
    ms += r.run.durationMs;
    if (r.passed) continue;
    const first = r.reports.find((t) => !t.ok);
    failures.push(first
      ? `${shownPath(k, file)}: "${first.test}" failed:\n  ${first.error?.message.split("\n").join("\n  ")}`
      : `${shownPath(k, file)} did not pass:\n${outputTail(r)}`);
  }
  if (k.testFiles.length === 0) failures.push("no test file");
  return { name, ok: failures.length === 0, detail: failures.join("\n") || `${tests} tests, ${seconds(ms)}` };
}

/** Why a test file's run does not count as failing "through a failed check", or undefined. */
function failureProblem(r: TestFileResult, where: string, what: string): string | undefined {
  const first = r.reports.find((t) => !t.ok);
  if (r.passed) return `${where} passes against ${what}: the tests cannot tell it from a solution`;
  if (!first) return `${where} crashed against ${what} before any test failed:\n${outputTail(r)}`;
  if (!ASSERTION_NAMES.has(first.error?.name ?? "")) {
    return `${where}: against ${what}, the first failure is a ${first.error?.name}, not a failed check: ` +
      `${first.error?.message}`;
  }
  return undefined;
}

/** The stub fails through a failed check, its first failure within `limitMs` of its first test. */
export async function checkStub(k: Kata, limitMs: number): Promise<Item> {
  const name = `${k.dir}: its tests fail against the stub, fast`;
  const problems: string[] = [];
  let firstAt = Infinity;
  for (const file of k.testFiles) {
    const r = await runTests(file, "learner");
    const where = shownPath(k, file);
    const problem = failureProblem(r, where, "the stub");
    if (problem) {
      problems.push(problem);
      continue;
    }
    // Timed from the start of the first test, not of the file: loading the test
    // file through tsx says more about the machine's load than about the kata.
    const first = r.reports.find((t) => !t.ok)!;
    const took = first.endMs - r.reports[0].startMs;
    firstAt = Math.min(firstAt, took);
    if (took > limitMs) {
      problems.push(`${where}: the first failure came ${seconds(took)} after the first test started ` +
        `(limit ${seconds(limitMs)})`);
    }
  }
  return {
    name,
    ok: problems.length === 0,
    detail: problems.join("\n") || `first failure after ${seconds(firstAt)}`,
  };
}

/**
 * Each folder of solutions/NN/_wrong/ holds the files of a plausible wrong
 * solution that differ from the reference; overlaid on a copy of the reference,
 * it must fail the kata's tests through a failed check.
 */
export async function checkWrongSolutions(k: Kata): Promise<Item | undefined> {
  const wrongDir = join(k.solutionDir, WRONG_DIR);
  if (!existsSync(wrongDir)) return undefined;
  const variants = readdirSync(wrongDir).sort();
  const problems: string[] = [];
  for (const variant of variants) {
    const dir = mkdtempSync(join(tmpdir(), `kata-wrong-${variant}-`));
    try {
      cpSync(k.solutionDir, dir, { recursive: true, filter: (src) => !src.includes(`/${WRONG_DIR}`) });
      cpSync(join(wrongDir, variant), dir, { recursive: true });
      // Outside the repository, a folder needs this to load .ts files as ES modules.
      writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
      // A kata may split its tests over files: one failing file is enough, but
      // no file may crash.
      const found: string[] = [];
      let caught = false;
      for (const file of k.testFiles) {
        const r = await runTests(file, "solution", dir);
        const problem = failureProblem(r, shownPath(k, file), `the wrong solution "${variant}"`);
        if (!problem) caught = true;
        else if (!r.passed) found.push(problem);
      }
      if (!caught) problems.push(`no test file fails against the wrong solution "${variant}"`);
      problems.push(...found);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    name: `${k.dir}: its tests fail against each wrong solution in solutions/${k.dir}/${WRONG_DIR}/`,
    ok: problems.length === 0,
    detail: problems.join("\n") || variants.join(", "),
  };
}

export async function checkSelf(): Promise<Item[]> {
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
