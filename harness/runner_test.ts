// Self-tests of what a learner's program can do to the harness itself: signal
// or stop the test runner (its parent under the tests), and outlive a harness
// killed by SIGKILL. Each must end with a message that says what happened, and
// with nothing left behind.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readStat } from "./_proc.ts";
import { sweepDeadRuns } from "./_sweep.ts";
import { findMarked } from "./cleanup.ts";
import { ROOT } from "./katas.ts";
import { start } from "./run.ts";
import { runTestFile } from "./test_file.ts";

const fixture = (name: string) => new URL(`./fixtures/${name}.ts`, import.meta.url).pathname;
const TEST_NAME = "the program runs to its end";
const TESTS = `import { kataSuite } from "../../harness/mod.ts";

const { test, program } = kataSuite(import.meta.url, { deadlineMs: 60_000 });

test(${JSON.stringify(TEST_NAME)}, async () => {
  await program.run("main.ts", { args: [process.env.SIGNAL ?? "SIGTERM"] });
});

test.run();
`;
const DEATH_MS = 5000;

/** Whether `pid` is alive as the process that started at `ticks`. */
function alive(pid: number, ticks?: number): boolean {
  const s = readStat(pid);
  return s !== undefined && s.state !== "Z" && (ticks === undefined || s.startTicks === ticks);
}

async function deadSoon(pid: number, ticks?: number): Promise<boolean> {
  const until = Date.now() + DEATH_MS;
  while (alive(pid, ticks) && Date.now() < until) await sleep(20);
  return !alive(pid, ticks);
}

/** Runs a throwaway kata whose main.ts is a copy of `main` (a fixture), with the tests `tests`. */
async function runKata(main: string, tests: string) {
  const root = mkdtempSync(join(tmpdir(), "kata-unit-root-"));
  try {
    const kata = join(root, "katas", "98_rude");
    mkdirSync(kata, { recursive: true });
    writeFileSync(join(kata, "main.ts"), readFileSync(fixture(main), "utf8"));
    writeFileSync(join(kata, "main_test.ts"), tests);
    symlinkSync(join(ROOT, "harness"), join(root, "harness"));
    symlinkSync(join(ROOT, "node_modules"), join(root, "node_modules"));
    writeFileSync(join(root, "package.json"), '{ "type": "module" }\n');
    return await runTestFile(join(kata, "main_test.ts"));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** A throwaway kata whose main.ts signals its parent (the test runner) with `signal`. */
async function runnerSignalled(signal: string) {
  process.env.SIGNAL = signal;
  try {
    return await runKata("signals_parent", TESTS);
  } finally {
    delete process.env.SIGNAL;
  }
}

const GUESSING_TESTS = `import { fail, findLine, kataSuite } from "../../harness/mod.ts";

const { test, program } = kataSuite(import.meta.url, { deadlineMs: 60_000 });

test("the child says it is done", async () => {
  const r = await program.run("main.ts", { allowFailure: true });
  if (!findLine(r, "child: done")) fail("The child never said it was done.", { hint: "Did main.ts kill it?" });
});

test.run();
`;

const timings: string[] = [];
test.after(() => console.log(`\n  time to the message: ${timings.join("; ")}`));

test("a program that kills its test runner: the runner's death, the test and the cause, not the suite's name", async () => {
  const r = await runnerSignalled("SIGTERM");
  timings.push(`runner killed ${Math.round(r.run.durationMs)} ms`);
  assert.is(r.passed, false);
  assert.is(r.interrupted?.how, "signal");
  assert.is(r.interrupted?.signal, "SIGTERM");
  assert.is(r.interrupted?.test, TEST_NAME);
  const message = r.interrupted!.message;
  assert.match(message, `The test runner was killed by SIGTERM during "${TEST_NAME}", while main.ts (pid`);
  assert.match(message, "process.ppid");
  const last = r.reports.at(-1)!;
  assert.equal([last.test, last.ok, last.error?.kind, last.error?.message], [TEST_NAME, false, "crash", message]);
  assert.equal(findMarked(r.run.runId), [], "nothing of the runner's runs is alive");
});

test("a program that stops its test runner: ended at once and said so, not a wait for the 180 s deadline", async () => {
  const r = await runnerSignalled("SIGSTOP");
  timings.push(`runner stopped ${Math.round(r.run.durationMs)} ms`);
  assert.is(r.run.timedOut, false);
  assert.is(r.interrupted?.how, "stopped");
  assert.match(r.interrupted!.message, "The test runner was stopped by a signal (SIGSTOP or SIGTSTP)");
  assert.match(r.interrupted!.message, "so the harness ended it at once");
  assert.ok(r.run.durationMs < 60_000, `it took ${Math.round(r.run.durationMs)} ms`);
  assert.equal(findMarked(r.run.runId), [], "nothing of the runner's runs is alive");
});

test("a child that crashed: its error comes first in the lesson, before the check's own guess", async () => {
  const r = await runKata("child_throws", GUESSING_TESTS);
  const failure = r.reports.find((t) => !t.ok)!;
  assert.is(failure.error?.kind, "crash");
  const lines = failure.error!.message.split("\n");
  assert.is(lines[0], "A process of the run crashed in main.ts: an error nobody caught ended it.");
  assert.ok(lines.some((l) => l.includes("RangeError: the child gave up: no work to do")), failure.error!.message);
  const guess = lines.indexOf("The child never said it was done.");
  assert.ok(guess > lines.findIndex((l) => l.includes("RangeError")), "the check's own lesson follows the error");
});

test("what a SIGKILLed harness left running (an escapee too) and its temp folder are ended by the next sweep", async () => {
  const seconds = String(80_000 + Math.floor(Math.random() * 10_000));
  // A long grace: the outer run's own clean-up must not be what ends them.
  const harness = start(fixture("abandoned_run"), { args: [seconds], env: { KATA_TMPDIR: "" }, graceMs: 60_000, deadlineMs: 120_000 });
  await harness.waitForLine("ready");
  const dir = harness.lines.find((l) => l.text.startsWith("dir "))!.text.slice(4);
  const program = Number(harness.lines.find((l) => l.text.startsWith("program "))!.text.slice(8));
  harness.tree.sample();
  const escapee = harness.tree.records().find((p) => p.argv.at(-1) === seconds && p.argv.some((a) => a.endsWith("sleep")) && p.goneAt === undefined);
  assert.ok(escapee, "the escapee was seen");
  const programTicks = readStat(program)!.startTicks;
  harness.kill("SIGKILL");
  assert.ok(await deadSoon(harness.pid), "the harness died");
  // It could not clean up: all of it is still there.
  assert.ok(alive(program, programTicks), "its program outlived it");
  assert.ok(alive(escapee!.pid, escapee!.startTicks), "and so did the escapee");
  assert.ok(existsSync(dir), "and its temp folder");
  const t0 = Date.now();
  const swept = sweepDeadRuns();
  assert.ok(swept.folders.includes(dir), "the sweep removed its temp folder");
  assert.ok(await deadSoon(program, programTicks), "the sweep killed its program");
  // The escapee carries no marker: only the run's cgroup holds it, where Linux allowed one.
  if (readFileSync(`/proc/${escapee!.pid}/cgroup`, "utf8").includes("/kata-")) {
    assert.ok(await deadSoon(escapee!.pid, escapee!.startTicks), "and the escapee, which had no marker");
  } else {
    process.kill(escapee!.pid, "SIGKILL");
  }
  timings.push(`sweep ${Date.now() - t0} ms`);
  assert.not.ok(existsSync(dir));
  const r = await harness.result;
  assert.equal(r.leftovers, [], "nothing was left for the outer run to find");
});

test.run();
