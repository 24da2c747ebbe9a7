// Tests of kata 23: three runs of main.ts (threads, racy, processes), judged on
// what the kernel shows of each: the threads listed in /proc/<pid>/task of the
// one process, or the child processes in the tree, and the count each printed.
import {
  aliveInterval,
  assertOverlap,
  childrenOf,
  describeTree,
  fail,
  findLine,
  kataSuite,
  ms,
  once,
  type RunResult,
  type ThreadRecord,
} from "../../harness/mod.ts";

// A unit of 100 ms: each thread adds for 3 units, long enough to span many of the scheduler's time slices.
const { test, program } = kataSuite(import.meta.url, { unitMs: 100, deadlineMs: 60_000 });

const WORKERS = 4;
/** How far each child process counts (main.ts's EACH). */
const EACH = 2_000_000;
const EXPECTED = WORKERS * EACH;
const RESULT = /^(threads|racy|processes): counted (\d+) of (\d+)/;

const counting = (mode: string) => () => program.run("main.ts", { args: [mode, String(WORKERS)], threads: true });
const threadsRun = once(counting("threads"));
/** How many runs of `main.ts racy` may pass without a lost update before the racy test gives up on it. */
const RACY_TRIES = 3;
const processesRun = once(counting("processes"));

/** The name thread.ts gives each counting thread (given code: it writes /proc/thread-self/comm). */
const THREAD_NAME = "counter";

/** The counting threads of the program's process, told from Node's own threads by their name. */
function startedThreads(r: RunResult): ThreadRecord[] {
  return (r.root?.threads ?? []).filter((t) => t.name === THREAD_NAME);
}

/** The most threads seen listed in the same sample. */
function mostAtOnce(threads: ThreadRecord[]): number {
  let most = 0;
  for (const t of threads) {
    most = Math.max(most, threads.filter((u) => u.firstSeen <= t.firstSeen && t.firstSeen <= u.lastSeen).length);
  }
  return most;
}

/** The count main.ts printed for its run, out of how many, and when the line came; or a failure that says it never came. */
function countOf(r: RunResult): { count: number; of: number; at: number } {
  const line = findLine(r, RESULT);
  if (!line) {
    fail(`main.ts never printed its result ("<mode>: counted <count> of <additions> ..."); it ended with code ` +
      `${r.exitCode}${r.signal ? ` (${r.signal})` : ""}.`);
  }
  const [, , count, of] = RESULT.exec(line.text)!;
  return { count: Number(count), of: Number(of), at: line.at };
}

/** Fails unless the run used threads of its one process, side by side, and no child process. */
function assertThreadsSideBySide(r: RunResult, mode: string): ThreadRecord[] {
  const threads = startedThreads(r);
  const children = r.tree.filter((p) => p.pid !== r.pid);
  if (children.length > 0) {
    fail(`\`main.ts ${mode}\` started ${children.length} child process(es): worker threads are not processes, ` +
      `they run inside the process that starts them.\n${describeTree(r)}`, {
      hint: "Start each thread with startThread(THREAD, job) (new Worker), not fork().",
    });
  }
  if (threads.length === 0) {
    fail(`In /proc/${r.pid}/task, no worker thread was ever seen: \`main.ts ${mode}\` counted on its main thread ` +
      "alone, or not at all.", {
      hint: `Start ${WORKERS} threads with startThread(THREAD, job) in threads.ts, each handed the same SharedArrayBuffer.`,
    });
  }
  const most = mostAtOnce(threads);
  if (most < WORKERS) {
    fail(`In /proc/${r.pid}/task, ${threads.length} threads came and went, but never more than ${most} at once: ` +
      `the ${WORKERS} worker threads ran one after another, not side by side.`, {
      hint: "Start every thread before you wait for any of them to end; open the gate when the last one is ready.",
    });
  }
  return threads;
}

test(`threads: ${WORKERS} worker threads run side by side inside the one process, and no child process`, async () => {
  const r = await threadsRun();
  assertThreadsSideBySide(r, "threads");
});

test("threads: the count is read only after every thread has ended", async () => {
  const r = await threadsRun();
  const threads = startedThreads(r);
  const { at } = countOf(r);
  const running = threads.filter((t) => t.lastSeen > at);
  if (running.length > 0) {
    fail(`main.ts printed its count at ${ms(at)}, but ${running.length} worker thread(s) were still listed in ` +
      `/proc/${r.pid}/task after that (the last until ${ms(Math.max(...running.map((t) => t.lastSeen)))}): ` +
      "it read the count before every thread ended, while they were still adding.", {
      hint: 'Resolve when the last thread emits "exit", not when they are ready or the gate opens.',
    });
  }
});

test("threads with Atomics: the count is exact, every addition of every thread in it", async () => {
  const r = await threadsRun();
  const { count, of } = countOf(r);
  if (count === of && count > 0) return;
  if (of === 0) {
    fail("`main.ts threads` reported 0 additions: the threads' tallies never reached the count that main.ts read.", {
      hint: "Hand every thread the same SharedArrayBuffer, and read the count and the tallies from it after every " +
        "thread has ended.",
    });
  }
  if (count < of) {
    fail(`\`main.ts threads\` counted ${count} of the ${of} additions its threads made: ${of - count} were lost. Two ` +
      "threads read the same count and each wrote back its own +1: reading the count and writing it back are " +
      "two steps (an atomic load, then an atomic store, are two steps too), and another thread's addition can " +
      "fall between them.", {
      hint: "Use Atomics.add(shared, COUNT, 1): the read, the addition and the write in one atomic step.",
    });
  }
  fail(`\`main.ts threads\` counted ${count}, more than the ${of} additions its threads say they made.`);
});

/**
 * Runs `main.ts racy` until a run loses an update, RACY_TRIES runs at most. A race shows itself only
 * when two threads interleave between a read and its write, and a machine busy with other work may
 * run them so that one run loses nothing; three such runs in a row are what a race never does.
 */
const racyRuns = once(async () => {
  const runs: RunResult[] = [];
  do {
    const r = await counting("racy")();
    runs.push(r);
    assertThreadsSideBySide(r, "racy");
    const { count, of } = countOf(r);
    if (count < of) break;
  } while (runs.length < RACY_TRIES);
  return runs;
});

test("racy: the same threads with a plain += 1 lose updates, and the count comes out short", async () => {
  const runs = await racyRuns();
  const counts = runs.map(countOf);
  if (counts.some(({ count, of }) => count < of)) return;
  fail(`\`main.ts racy\` counted every addition in each of ${runs.length} runs (${counts.map((c) => `${c.count} of ` +
    `${c.of}`).join("; ")}), although its ${WORKERS} threads ran side by side: in the racy mode the additions must ` +
    "be a plain `shared[COUNT] += 1`, which loses updates when two threads interleave.", {
    hint: "Keep the racy mode's plain += 1 in thread.ts: Atomics.add belongs in the atomic mode only.",
  });
});

test(`processes: ${WORKERS} child processes of main.ts, alive at the same time`, async () => {
  const r = await processesRun();
  const children = childrenOf(r, r.pid).filter((p) => p.argv.some((a) => a.endsWith("child.ts")));
  if (children.length !== WORKERS) {
    fail(`Expected \`main.ts processes\` to fork ${WORKERS} child processes running child.ts; the harness saw ` +
      `${children.length}.${children.length > 0 ? `\n${describeTree(r)}` : ""}`, {
      hint: `fork(CHILD, [String(each)]) ${WORKERS} times in processes.ts, one for each worker.`,
    });
  }
  assertOverlap(children.map((c, i) => aliveInterval(c, `child ${i + 1} (pid ${c.pid})`)), {
    hint: "The children ran one after another: fork every child before you wait for any of them to end.",
  });
});

test(`processes: each child counts in its own memory and sends its count back: exactly ${EXPECTED}`, async () => {
  const r = await processesRun();
  const { count } = countOf(r);
  if (count === EXPECTED) return;
  fail(`\`main.ts processes\` counted ${count} of ${EXPECTED}. A process has its own memory: nothing a child ` +
    "adds there reaches the parent except as a message, and a SharedArrayBuffer cannot be shared with another " +
    "process (sent over the IPC channel, it arrives as an empty object).", {
    hint: "In child.ts send { count } with process.send(); in processes.ts add up the counts from the " +
      '"message" events, and resolve at the last child\'s "exit".',
  });
});

test.run();
