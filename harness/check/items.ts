// The items of the check, each a verdict with its detail: a kata's layout, its
// solution passing, its stub failing fast, its mistakes caught by the test they
// name with the lesson they name, the harness's self-tests, and nothing left
// alive afterwards.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { loaderName } from "../_loader.ts";
import { median } from "../_stats.ts";
import { describeProcess, findMarked } from "../cleanup.ts";
import { type Kata, MISTAKES_DIR, programFiles, readText, ROOT, SUPPORT_DIR, TODO } from "../katas.ts";
import type { TestReport } from "../kata.ts";
import { parseMistake, PatchError } from "../patch.ts";
import { runTestFile, type TestFileOptions, type TestFileResult } from "../test_file.ts";
import { measureStartMs, stubLimitMs } from "./_stub_limit.ts";

/** Error names that mark a failed check rather than a crash of the test file. */
const ASSERTION_NAMES = new Set(["KataCheckError", "AssertionError", "Assertion"]);
const OUTPUT_TAIL_LINES = 30;

/** A test file as the check names it: `katas/NN_name/main_test.ts`, wherever the katas are. */
function shownPath(k: Kata, file: string): string {
  return `katas/${k.dir}/${basename(file)}`;
}

/** The outcome of one item of the check. */
/** What an item checks: the bench sums CPU by kind. */
export type ItemKind = "self-test" | "layout" | "solution" | "stub" | "mistakes" | "leftovers";

export interface Item {
  name: string;
  kind: ItemKind;
  ok: boolean;
  detail: string;
  /** CPU time of the test runs behind it (each run's cgroup), in ms, where it was measured. */
  cpuMs?: number;
}

/** The sum of the runs' CPU times, or undefined if any run's is unknown. */
function cpuOf(runs: TestFileResult[]): number | undefined {
  let sum = 0;
  for (const r of runs) {
    if (r.run.cpuMs === undefined) return undefined;
    sum += r.run.cpuMs;
  }
  return Math.round(sum);
}

/** Run ids of every test file run, to prove afterwards that nothing of them survived. */
const runIds: string[] = [];
const LEFTOVER_WAIT_MS = 3000;

async function runTests(file: string, options: TestFileOptions): Promise<TestFileResult> {
  const r = await runTestFile(file, options);
  runIds.push(r.run.runId);
  return r;
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
    kind: "leftovers",
    ok: left.length === 0,
    detail: left.map(describeProcess).join("\n") || `${runIds.length} test runs`,
  };
}

/** A duration for the check's lines: "1.4 s". */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** How a test file's process ended, for a failure with no failed test to show. */
function endedHow(r: TestFileResult): string {
  return r.run.timedOut
    ? `it was still running at its deadline (${seconds(r.run.deadlineMs)}) and was killed`
    : `it exited with ${r.run.exitCode ?? r.run.signal}`;
}

function outputTail(r: TestFileResult): string {
  const text = (r.run.stdout + r.run.stderr).trimEnd().split("\n");
  return text.slice(-OUTPUT_TAIL_LINES).map((l) => `      ${l}`).join("\n");
}

/** Files a kata folder may hold, and what they are, for the message about a stray one. */
const KATA_FOLDER_HOLDS = `README.md, program files (*.ts), tests (*_test.ts) and one ${SUPPORT_DIR}/ folder`;
const SOLUTION_FOLDER_HOLDS = `the program files a learner changes (*.ts, each also in katas/) and a ${MISTAKES_DIR}/ folder of *.patch files`;

/** What is wrong with the files of a kata folder and its solution folder. */
function strayFiles(k: Kata): string[] {
  const problems: string[] = [];
  for (const e of readdirSync(k.learnerDir, { withFileTypes: true })) {
    const ok = e.isDirectory() ? e.name === SUPPORT_DIR : e.name === "README.md" || e.name.endsWith(".ts");
    if (!ok || (e.isFile() && e.name.startsWith("_"))) {
      problems.push(`katas/${k.dir}/${e.name} does not belong there: a kata folder holds ${KATA_FOLDER_HOLDS}`);
    }
  }
  if (!existsSync(k.solutionDir)) return [...problems, `solutions/${k.dir}/ does not exist`];
  const learnerFiles = new Set(programFiles(k.learnerDir));
  for (const e of readdirSync(k.solutionDir, { withFileTypes: true })) {
    const ok = e.isDirectory() ? e.name === MISTAKES_DIR : e.name.endsWith(".ts") && learnerFiles.has(e.name);
    if (!ok) problems.push(`solutions/${k.dir}/${e.name} does not belong there: a solution folder holds ${SOLUTION_FOLDER_HOLDS}`);
  }
  const mistakes = join(k.solutionDir, MISTAKES_DIR);
  if (existsSync(mistakes)) {
    for (const f of readdirSync(mistakes).filter((f) => !f.endsWith(".patch"))) {
      problems.push(`solutions/${k.dir}/${MISTAKES_DIR}/${f} does not belong there: only *.patch files`);
    }
  }
  return problems;
}

/** The kata's folders hold what they should: README with title and hint, tests, TODOs, a solution for each. */
export function checkLayout(k: Kata): Item {
  const problems = strayFiles(k);
  const readme = readText(join(k.learnerDir, "README.md"));
  if (readme === undefined) problems.push(`katas/${k.dir}/README.md is missing`);
  else if (k.title === k.dir) problems.push(`katas/${k.dir}/README.md does not start with "# ${String(k.number).padStart(2, "0")} · <title>"`);
  if (readme !== undefined && k.hint === "") problems.push(`katas/${k.dir}/README.md has no "## Hint" section`);
  if (k.testFiles.length === 0) problems.push(`katas/${k.dir}/ has no *_test.ts file`);
  const text = (dir: string, f: string) => readFileSync(join(dir, f), "utf8");
  const stubs = programFiles(k.learnerDir);
  const solved = new Set(programFiles(k.solutionDir));
  for (const f of stubs) {
    const marked = text(k.learnerDir, f).includes(TODO);
    if (marked && !solved.has(f)) problems.push(`katas/${k.dir}/${f} has a ${TODO} marker but solutions/${k.dir}/${f} is missing`);
    if (!marked && solved.has(f)) problems.push(`solutions/${k.dir}/${f} solves katas/${k.dir}/${f}, which has no ${TODO} marker`);
  }
  if (!stubs.some((f) => text(k.learnerDir, f).includes(TODO))) problems.push(`no stub file has a ${TODO} marker`);
  for (const f of solved) {
    if (text(k.solutionDir, f).includes(TODO)) problems.push(`solutions/${k.dir}/${f} still has a ${TODO} marker`);
  }
  return {
    name: `${k.dir}: has its README (title, hint), tests, TODO markers and solution, and nothing else`,
    kind: "layout",
    ok: problems.length === 0,
    detail: problems.join("\n"),
  };
}

export async function checkSolution(k: Kata): Promise<Item> {
  const name = `${k.dir}: its tests pass against the solution`;
  const failures: string[] = [];
  let tests = 0;
  let ms = 0;
  const runs: TestFileResult[] = [];
  for (const file of k.testFiles) {
    const r = await runTests(file, { target: "solution" });
    runs.push(r);
    tests += r.reports.length;
    ms += r.run.durationMs;
    if (r.passed) continue;
    const first = r.reports.find((t) => !t.ok);
    failures.push(first
      ? `${shownPath(k, file)}: "${first.test}" failed:\n  ${first.error?.message.split("\n").join("\n  ")}`
      : `${shownPath(k, file)} did not pass: ${endedHow(r)}; its output:\n${outputTail(r)}`);
  }
  if (k.testFiles.length === 0) failures.push("no test file");
  const detail = failures.join("\n") || `${tests} tests, ${seconds(ms)}`;
  return { name, kind: "solution", ok: failures.length === 0, detail, cpuMs: cpuOf(runs) };
}

/** The first failure of a kata's test files run in order, each stopped at its first failure. */
async function firstFailure(
  k: Kata,
  options: TestFileOptions,
): Promise<{ file: string; result: TestFileResult; failure?: TestReport; cpuMs?: number } | undefined> {
  const runs: TestFileResult[] = [];
  for (const file of k.testFiles) {
    const result = await runTests(file, { ...options, stopAtFirstFailure: true });
    runs.push(result);
    if (result.passed) continue;
    return { file, result, failure: result.reports.find((t) => !t.ok), cpuMs: cpuOf(runs) };
  }
  return undefined;
}

/** Why a failure does not count as "through a failed check", or undefined. */
function failureProblem(found: Awaited<ReturnType<typeof firstFailure>>, k: Kata, what: string): string | undefined {
  if (!found) return `the tests pass against ${what}: they cannot tell it from a solution`;
  const where = shownPath(k, found.file);
  const { failure } = found;
  if (!failure) {
    return `${where} crashed against ${what} before any test failed (${endedHow(found.result)}):\n${outputTail(found.result)}`;
  }
  if (!ASSERTION_NAMES.has(failure.error?.name ?? "")) {
    return `${where}: against ${what}, the first failure is a ${failure.error?.name}, not a failed check: ` +
      `${failure.error?.message}`;
  }
  if (failure.error?.kind === "start") {
    return `${where}: against ${what}, "${failure.test}" fails only because the program could not start:\n  ` +
      `${failure.error.message.split("\n").join("\n  ")}`;
  }
  return undefined;
}

/**
 * The stub fails through a failed check, its first failure within the stub's
 * limit of its first test. The limit scales with the machine (`baselineStartMs`,
 * a TypeScript child's start-up measured before the check's runs began, against
 * the reference) and with the load the stub meets (in the concurrent check,
 * whatever runs beside it): how much slower than that baseline the TypeScript
 * children started one after another beside the stub while it ran were (their median).
 */
export async function checkStub(k: Kata, baselineStartMs: number): Promise<Item> {
  const name = `${k.dir}: its tests fail against the stub, fast`;
  // Probed one start after another for as long as the stub runs: a single
  // start can miss the load that the stub's own later processes meet (kata
  // 05's stub once failed at 2.9 s against 2.6 s so). Their median, not the
  // slowest: under load a tiny process's start swings far more than a kata's
  // whole run (6 workers: probes up to 10 times the idle start, stubs 3 times).
  const probes: number[] = [];
  let stubRunning = true;
  const probing = (async () => {
    do probes.push(await measureStartMs(1)); while (stubRunning);
  })();
  const found = await firstFailure(k, { target: "learner" });
  stubRunning = false;
  await probing;
  const limitMs = stubLimitMs(baselineStartMs, median(probes));
  const problem = failureProblem(found, k, "the stub");
  let detail = problem ?? "";
  if (!problem && found?.failure) {
    // Timed from the start of the first test, not of the file: loading the test
    // file through tsx says more about the machine's load than about the kata.
    const took = found.failure.endMs - found.result.reports[0].startMs;
    detail = `first failure after ${seconds(took)}, limit ${seconds(limitMs)}`;
    if (took > limitMs) {
      return { name, kind: "stub", ok: false, detail: `${shownPath(k, found.file)}: the first failure came ${seconds(took)} ` +
        `after the first test started (limit ${seconds(limitMs)}, from a TypeScript child's start-up beside it)` };
    }
  }
  return { name, kind: "stub", ok: problem === undefined, detail, cpuMs: found?.cpuMs };
}

/** What the check found of one mistake. */
export interface MistakeOutcome {
  kata: string;
  mistake: string;
  /** Whether some test failed through a failed check. */
  caught: boolean;
  /** Whether it was the named test, with the named word in its lesson. */
  namedLesson: boolean;
  /** What is wrong, when something is. */
  problem?: string;
  /** Why it was not run here (a mistake that shows only under another loader). */
  skipped?: string;
  /** How long its run took, in ms (until the first failure). */
  ms?: number;
  /** CPU time of its runs, in ms (until the first failure), where measured. */
  cpuMs?: number;
  /** The first line of the message its first failing test gave, when one failed. */
  message?: string;
}

/**
 * One patch of solutions/NN/mistakes/ applied over the reference must apply
 * cleanly and type-check (`typeErrors`, found beforehand for all at once), and
 * its first failing test must be the one its header names, a failed check
 * whose lesson holds the header's word.
 */
export async function checkMistake(
  k: Kata,
  path: string,
  typeErrors: Map<string, string[]>,
): Promise<MistakeOutcome> {
  const name = basename(path, ".patch");
  const outcome: MistakeOutcome = { kata: k.dir, mistake: name, caught: false, namedLesson: false };
  const say = (problem: string) => ({ ...outcome, problem });
  let header;
  try {
    header = parseMistake(name, readFileSync(path, "utf8"));
  } catch (err) {
    return say((err as Error).message.replace(`${name}: `, ""));
  }
  if (header.loader && header.loader !== loaderName()) {
    return { ...outcome, skipped: `shows only where Node loads .ts through ${header.loader}` };
  }
  const typeProblems = typeErrors.get(`${k.dir}/${name}`);
  if (typeProblems) return say(`the patched program has type errors:\n  ${typeProblems.join("\n  ")}`);
  let found;
  const began = performance.now();
  try {
    found = await firstFailure(k, { target: "solution", mistake: path });
  } catch (err) {
    if (!(err instanceof PatchError)) throw err;
    return say(err.message.replace(`${name}: `, ""));
  }
  outcome.ms = Math.round(performance.now() - began);
  outcome.cpuMs = found?.cpuMs;
  const problem = failureProblem(found, k, `the mistake "${name}"`);
  if (problem) return say(problem);
  outcome.caught = true;
  const failure = found!.failure!;
  outcome.message = failure.error?.message.split("\n")[0];
  if (failure.test !== header.test) {
    return say(`it should fail "${header.test}" first, but the first test to fail was "${failure.test}":\n  ` +
      `${failure.error?.message.split("\n").join("\n  ")}`);
  }
  if (!failure.error?.message.toLowerCase().includes(header.lesson.toLowerCase())) {
    return say(`"${failure.test}" failed, but its lesson does not say "${header.lesson}":\n  ` +
      `${failure.error?.message.split("\n").join("\n  ")}`);
  }
  return { ...outcome, namedLesson: true };
}

/** The check's item for a kata's mistakes, from each one's outcome (undefined for a kata without mistakes). */
export function mistakesItem(k: Kata, outcomes: MistakeOutcome[]): Item | undefined {
  if (outcomes.length === 0) return undefined;
  const problems = outcomes.filter((o) => o.problem !== undefined).map((o) => `${o.mistake}: ${o.problem}`);
  // Where the check's time goes: the mistakes run one after another, and one that hangs until a deadline shows.
  const timed = outcomes.filter((o) => o.ms !== undefined);
  const longest = timed.reduce<MistakeOutcome | undefined>((a, o) => (a && a.ms! >= o.ms! ? a : o), undefined);
  const time = longest
    ? `; ${seconds(timed.reduce((sum, o) => sum + o.ms!, 0))} in all, the longest ${longest.mistake} ${seconds(longest.ms!)}`
    : "";
  return {
    name: `${k.dir}: each mistake in solutions/${k.dir}/${MISTAKES_DIR}/ fails the test it names, with its lesson`,
    kind: "mistakes",
    ok: problems.length === 0,
    detail: problems.join("\n") ||
      outcomes.map((o) => (o.skipped ? `${o.mistake} (not run: it ${o.skipped})` : o.mistake)).join(", ") + time,
    cpuMs: timed.every((o) => o.cpuMs !== undefined) ? timed.reduce((sum, o) => sum + o.cpuMs!, 0) : undefined,
  };
}

/** What `--report` writes: the check's verdicts and costs as data. */
export interface CheckReport {
  node: string;
  workers: number;
  /** Median start-up of a TypeScript child before the runs began, in ms. */
  startMs: number;
  /** From the check's start to its last item, in ms. */
  wallMs: number;
  /** CPU of the check and every process it reaped (undefined without /proc), in ms. */
  cpuMs?: number;
  /** CPU of the check's own process (observing and reading the runs), in ms. */
  ownCpuMs: number;
  items: Item[];
  /** One per mistake run, in kata order. */
  mistakes: MistakeOutcome[];
}

/** The harness's self-tests: every `*_test.ts` under harness/ but its fixtures. */
export function selfTestFiles(): string[] {
  return readdirSync(join(ROOT, "harness"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith("_test.ts") && !f.startsWith("fixtures"))
    .sort()
    .map((f) => join(ROOT, "harness", f));
}

/** A self-test file of the harness passes: it exits 0 within its deadline. */
export async function checkSelfTest(file: string): Promise<Item> {
  const r = await runTests(file, { target: "learner" });
  const ok = r.run.exitCode === 0 && !r.run.timedOut;
  return {
    name: `harness/${relative(join(ROOT, "harness"), file)} passes`,
    kind: "self-test",
    ok,
    detail: ok ? seconds(r.run.durationMs) : `${endedHow(r)}; its output:\n${outputTail(r)}`,
    cpuMs: cpuOf([r]),
  };
}
