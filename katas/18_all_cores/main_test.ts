// Tests of kata 18: one run of main.ts, judged on the workers the kernel saw,
// the CPU time each process used (from /proc/<pid>/stat), which of them were
// running at the same moment, and the answer.
import { availableParallelism } from "node:os";
import { assertFinished, assertNothingLeft, fail, kataSuite, ms, once } from "../../harness/mod.ts";
import { cpuRun, END_MS } from "./_support/cpu.ts";

const { test, program } = kataSuite(import.meta.url, { deadlineMs: 180_000 });
const run = once(() => cpuRun(program));

const CORES = availableParallelism();
const LIMIT = 12_000_000;
/** The primes below 12,000,000 (a published count, not the program's own). */
const PRIMES_BELOW_LIMIT = 788_060;
const WORKER_SHARE = 0.9;
const ANSWER = /^main: (\d+) primes below (\d+), counted by (\d+) workers$/;

test("main.ts splits the job across worker processes, no more than there are cores", async () => {
  const { workers, result } = await run();
  if (workers.length === 0) {
    fail(`main.ts started no worker process: all the counting ran in main.ts itself, on one core at a time.`, {
      hint: "fork() one worker.ts per core and send each its part of the range.",
    });
  }
  if (workers.length > CORES) {
    fail(`main.ts started ${workers.length} workers (pids ${workers.map((w) => w.pid).join(", ")}) on a machine ` +
      `with ${CORES} cores: more workers than cores only take turns on them.`, {
      hint: "Use availableParallelism() from node:os: one worker per core, each with a larger part.",
    });
  }
  void result;
});

test("at least two workers are running (state R) in the same sample", async () => {
  const { workers, mostRunning } = await run();
  if (CORES < 2) {
    console.log("  (this machine has one core: there is no second worker to run beside the first)");
    return;
  }
  if (mostRunning.count >= 2) return;
  fail(`Sampled every few milliseconds, never more than ${mostRunning.count} of the ${workers.length} workers ` +
    "was in state R (running, or ready to run) in the same sample.", {
    hint: "Start every worker and send each its part before you wait for any answer: awaiting one worker " +
      "before forking the next runs them one after another, at the same time as nothing.",
  });
});

test(`the answer is exact: ${PRIMES_BELOW_LIMIT} primes below ${LIMIT}`, async () => {
  const { result, workers } = await run();
  const line = result.lines.find((l) => l.stream === "stdout" && ANSWER.test(l.text));
  if (!line) {
    if (result.exitCode === 13) {
      fail(`main.ts ended with code 13 without printing its answer: it was still awaiting a worker's count ` +
        "when nothing was left that could send one.", {
        hint: "A worker needs its IPC channel until it has answered: wait for every worker's count, and only " +
          "then disconnect it.",
      });
    }
    assertFinished(result);
    fail(`main.ts never printed "main: <total> primes below ${LIMIT}, counted by <n> workers".`);
  }
  const [, total, limit, n] = ANSWER.exec(line.text)!.map(Number);
  if (total !== PRIMES_BELOW_LIMIT || limit !== LIMIT) {
    fail(`main.ts printed "${line.text}"; there are ${PRIMES_BELOW_LIMIT} primes below ${LIMIT}.`, {
      hint: total === 0
        ? "A total of 0: it was printed before any count had arrived. Wait for every worker's count " +
          "(await them all, e.g. with Promise.all) before you add them up."
        : "The parts must cover [2, LIMIT) exactly once: no gap, no overlap. Wait for every worker's count " +
          "before you add them up.",
    });
  }
  if (n !== workers.length) {
    fail(`main.ts said the count was made by ${n} workers, but the kernel saw ${workers.length} workers of it.`);
  }
});

test(`the workers do at least ${WORKER_SHARE * 100}% of the CPU time of the job`, async () => {
  const { workers, workerCpuMs, mainCpuMs, mainCpuAtStartMs } = await run();
  if (workers.length === 0) return fail("There were no workers (see the first test).");
  const byWorkers = [...workerCpuMs.values()].reduce((a, b) => a + b, 0);
  // main.ts's start-up (its loader) and its forks come before the job: count from the last worker's start on.
  const byMain = mainCpuMs - (mainCpuAtStartMs ?? 0);
  const share = byWorkers / (byWorkers + byMain);
  console.log(`  (CPU time from the last worker's start on: workers ${ms(byWorkers)}, main.ts ${ms(byMain)}, ` +
    `${(share * 100).toFixed(1)}% by the workers)`);
  if (share >= WORKER_SHARE) return;
  fail(`From the last worker's start on, the workers used ${ms(byWorkers)} of CPU time and main.ts itself ` +
    `${ms(byMain)}: the workers did ${(share * 100).toFixed(0)}% of it.`, {
    hint: "main.ts itself used CPU time that a worker should have: it competes with the workers for the cores. " +
      "Let main.ts only hand out the parts and add up the counts.",
  });
});

test("main.ts exits once the answer is in, and no worker outlives its purpose", async () => {
  const { result, stuck } = await run();
  if (stuck) {
    fail(`main.ts printed its answer, and ${ms(END_MS)} later it was still running, with its workers.`, {
      hint: "A forked worker stays alive as long as its IPC channel is open, and so does main.ts: a worker that " +
        "outlives its purpose keeps both running. Disconnect each worker once it has answered.",
    });
  }
  assertFinished(result);
  assertNothingLeft(result);
});

test.run();
