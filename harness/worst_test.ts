// Self-tests of a learner's worst programs, run as a kata's test runs them
// (program.run, most with allowFailure): each must fail with its real cause as
// the headline (the first line of the lesson), and leave nothing behind.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { setTimeout as sleep } from "node:timers/promises";
import { ownCgroupDir } from "./_cgroup.ts";
import { listPids, readArgv, readStat, readWchan } from "./_proc.ts";
import { ownerTag } from "./_sweep.ts";
import { assertFinished, readableStderr } from "./checks.ts";
import { findMarked } from "./cleanup.ts";
import { kataProgram, type KataRunOptions, TARGET_DIR_VAR } from "./kata.ts";
import { run } from "./run.ts";
import { KataCheckError } from "./timing.ts";

const FIXTURES = new URL("./fixtures/", import.meta.url).pathname;
// The fixtures folder stands for a kata folder holding the learner's files.
process.env[TARGET_DIR_VAR] = FIXTURES;
// Generous: on a loaded machine a tsx start-up alone can take seconds.
const program = kataProgram(new URL("./fixtures/worst_test.ts", import.meta.url).href, { deadlineMs: 60_000 });
const SETTLE_POLL_MS = 20;

/** The failure of a run as a kata test gets it, and how long it took to come. */
async function failureOf(file: string, options: KataRunOptions): Promise<{ error: KataCheckError; ms: number }> {
  const t0 = performance.now();
  try {
    await program.run(file, options);
  } catch (err) {
    assert.instance(err, KataCheckError, String(err));
    return { error: err as KataCheckError, ms: performance.now() - t0 };
  }
  throw new Error(`expected ${file} to fail its test`);
}

function headline(e: KataCheckError): string {
  return e.failure.message.split("\n")[0];
}

/** Waits until `pid` sleeps (or is stopped) somewhere in the kernel: it reached the state the test is about. */
async function settled(pid: number): Promise<void> {
  for (;;) {
    const s = readStat(pid);
    if (!s || s.state === "T" || (s.state === "S" && readWchan(pid) !== "")) return;
    await sleep(SETTLE_POLL_MS);
  }
}

/** Processes named `sleep <seconds>` (an escapee's unique command line). */
function sleepers(seconds: string): number[] {
  return listPids().filter((pid) => {
    const argv = readArgv(pid) ?? [];
    return argv.at(-1) === seconds && argv.some((a) => a.endsWith("sleep"));
  });
}

/** Nothing of this process's runs is alive, and no cgroup of theirs is left. */
function assertNothingOfOurs(): void {
  assert.equal(findMarked(`${ownerTag()}.`), [], "no process of a run is alive");
  const cgroups = ownCgroupDir();
  const left = cgroups ? listDir(cgroups).filter((n) => n.startsWith(`kata-${ownerTag()}.`)) : [];
  assert.equal(left, [], "no cgroup of a run is left");
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

const timings: string[] = [];
test.after(() => console.log(`\n  time to the message: ${timings.join("; ")}`));

test("a syntax error: the compiler's words are the headline, even with allowFailure", async () => {
  const { error, ms } = await failureOf("syntax_error.ts", { allowFailure: true, allowLeftovers: true });
  timings.push(`syntax error ${Math.round(ms)} ms`);
  assert.is(error.failure.kind, "start");
  assert.is(headline(error), "syntax_error.ts could not start: Node could not load it.");
  assert.match(error.failure.message, /syntax_error\.ts:2/);
  assert.match(error.failure.message, /Unexpected|expected/);
  assertNothingOfOurs();
});

test("a missing given file that children run: the loader's error, not a guess about process.exit()", async () => {
  const { error, ms } = await failureOf("forks_missing.ts", { allowFailure: true, allowLeftovers: true });
  timings.push(`missing task file ${Math.round(ms)} ms`);
  assert.is(error.failure.kind, "crash");
  assert.is(headline(error), "A child process that forks_missing.ts started could not start: Node could not load no_such_task.ts.");
  assert.match(error.failure.message, "Cannot find module");
  assert.match(error.failure.message, "no_such_task.ts does not exist");
  assertNothingOfOurs();
});

test("a child whose stderr nobody reads, that could not load its file: its error is quoted all the same", async () => {
  const { error } = await failureOf("spawns_missing.ts", { allowFailure: true });
  assert.is(error.failure.kind, "crash");
  assert.is(headline(error), "A child process that spawns_missing.ts started could not start: Node could not load no_such_task.ts.");
  assert.match(error.failure.message, "Cannot find module");
  assertNothingOfOurs();
});

test("a missing given file that the program imports: it could not start, and which file is missing", async () => {
  const { error } = await failureOf("imports_missing.ts", { allowFailure: true });
  assert.is(error.failure.kind, "start");
  assert.is(headline(error), "imports_missing.ts could not start: Node could not load no_such_given.ts, which it imports.");
  assertNothingOfOurs();
});

test("out of memory: V8's one readable line is quoted, its native frames are not", async () => {
  const { error, ms } = await failureOf("hog.ts", {
    allowFailure: true,
    env: { NODE_OPTIONS: "--max-old-space-size=16" },
  });
  timings.push(`out of memory ${Math.round(ms)} ms`);
  assert.is(error.failure.kind, "crash");
  assert.match(headline(error), /^hog\.ts ran out of memory, and V8 aborted it \((SIGABRT|code 134)\):$/);
  assert.match(error.failure.message, /FATAL ERROR: .*heap out of memory/);
  assert.not.match(error.failure.message, /0x[0-9a-f]{6}/);
  assertNothingOfOurs();
});

test("readable stderr keeps V8's FATAL ERROR line and drops its GC trace and native frames", () => {
  const stderr = [
    "<--- Last few GCs --->",
    "[2725:0x19eec8b0]     5066 ms: Mark-Compact 18.6 (51.0) -> 17.7 (51.2) MB, 56.71 / 0.04 ms",
    "<--- JS stacktrace --->",
    "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory",
    "----- Native stack trace -----",
    " 1: 0xb8ced1 node::OOMErrorHandler(char const*, v8::OOMDetails const&) [node]",
    " 2: 0xf06460 v8::Utils::ReportOOMFailure(v8::internal::Isolate*, char const*) [node]",
  ].join("\n");
  assert.equal(readableStderr(stderr), ["FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory"]);
});

test("a grandchild with an empty environment in a session of its own is killed, and named as left behind", async () => {
  const seconds = String(40_000 + Math.floor(Math.random() * 20_000));
  const { error } = await failureOf("escape_empty_env.ts", { args: [seconds] });
  const r = await run(join(FIXTURES, "escape_empty_env.ts"), { args: [seconds] });
  assert.equal(sleepers(seconds), [], `no "sleep ${seconds}" is left alive`);
  if (r.cgroup !== undefined) {
    // In a cgroup nothing slips through: the escapee is always seen, and named.
    assert.is(error.failure.kind, "leftovers");
    assert.match(error.failure.message, `sleep ${seconds}`);
  }
  assertNothingOfOurs();
});

test("without a cgroup, a grandchild the observer saw is killed by pid and start time, marker or not", async () => {
  const seconds = String(60_000 + Math.floor(Math.random() * 20_000));
  const r = await run(join(FIXTURES, "escape_empty_env.ts"), { args: [seconds, "linger"], cgroup: false });
  assert.is(r.cgroup, undefined);
  const escapee = r.descendants.find((p) => p.argv.at(-1) === seconds);
  assert.ok(escapee, "the observer saw the escapee while its shell was alive");
  assert.is.not(escapee!.session, r.root!.session, "it left the run's session");
  assert.equal(sleepers(seconds), [], `no "sleep ${seconds}" is left alive`);
  assertNothingOfOurs();
});

/** The lesson of a run stuck on purpose, ended as its deadline would end it once `ready` says it is stuck. */
async function stuckLesson(file: string, ready: RegExp): Promise<KataCheckError> {
  const running = program.start(file);
  const line = await running.waitForLine(ready);
  const child = Number(/\d+/.exec(line.text)?.[0] ?? running.pid);
  await settled(running.pid);
  await settled(child);
  await running.expire();
  const r = await running.result;
  try {
    assertFinished(r);
  } catch (err) {
    assert.instance(err, KataCheckError);
    return err as KataCheckError;
  }
  throw new Error(`expected ${file} to fail`);
}

test("processes that wait for each other at the deadline: what each was doing, and the word deadlock", async () => {
  const error = await stuckLesson("deadlock.ts", /^waiting for \d+$/);
  assert.is(error.failure.kind, "deadline");
  assert.match(error.failure.message, /node deadlock\.ts: idle in its event loop/);
  assert.match(error.failure.message, /sh -c read line.*: blocked reading a pipe/);
  assert.match(error.failure.message, "A deadlock:");
  assertNothingOfOurs();
});

test("a program stopped by a signal is said to be stopped, not still running", async () => {
  const error = await stuckLesson("stops_itself.ts", /^stopping$/);
  assert.is(error.failure.kind, "deadline");
  assert.match(headline(error), "stops_itself.ts was stopped by a signal (SIGSTOP or SIGTSTP)");
  assert.match(error.failure.message, "Who sent it SIGSTOP?");
  assertNothingOfOurs();
});

test.run();
