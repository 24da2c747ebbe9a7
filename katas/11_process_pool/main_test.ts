// Tests of kata 11: one run of main.ts in which the test kills a busy worker,
// judged on the workers the kernel saw and on the lines main.ts and its workers printed.
import { aliveInterval, assertFinished, assertNothingLeft, fail, findLine, kataSuite, ms, once } from "../../harness/mod.ts";
import {
  AFTER_DONE_MS,
  crashOf,
  crashRun,
  doneLines,
  LONG_TASK,
  POOL_SIZE,
  STALL_MS,
  TASK_COUNT,
  workerLines,
  workersOf,
} from "./_support/crash_run.ts";

const { test, program } = kataSuite(import.meta.url, { unitMs: 100, deadlineMs: 150_000 });
const run = once(() => crashRun(program));

/** The most workers alive at one moment (from observed intervals), and when. */
function mostAlive(intervals: { start: number; end: number }[]): { count: number; at: number } {
  let best = { count: 0, at: 0 };
  for (const i of intervals) {
    const count = intervals.filter((j) => j.start <= i.start && i.start <= j.end).length;
    if (count > best.count) best = { count, at: i.start };
  }
  return best;
}

test(`the pool runs its tasks on ${POOL_SIZE} worker processes alive together, never more`, async () => {
  const { result } = await run();
  const workers = workersOf(result);
  if (workers.length === 0) {
    fail(`Expected main.ts to fork worker processes running worker.ts, but it had no such child.`, {
      hint: "startPool() forks its workers with fork(workerFile).",
    });
  }
  const most = mostAlive(workers.map((w) => aliveInterval(w)));
  if (most.count > POOL_SIZE) {
    fail(`At ${ms(most.at)}, ${most.count} worker processes were alive at once; a pool of ${POOL_SIZE} never ` +
      `has more than ${POOL_SIZE}.`, {
      hint: `Fork the ${POOL_SIZE} workers once, when the pool starts, and queue the tasks for them: ` +
        "never start a process per task.",
    });
  }
  if (most.count < POOL_SIZE) {
    fail(`Expected ${POOL_SIZE} worker processes alive at the same time, but there were never more than ` +
      `${most.count} (${workers.length} workers in all).`, {
      hint: `Start all ${POOL_SIZE} workers when the pool starts, so that ${POOL_SIZE} tasks run side by side.`,
    });
  }
});

test("the pool starts far fewer processes than one per task", async () => {
  const { result, stop } = await run();
  const workers = workersOf(result);
  const allowed = POOL_SIZE + 1;
  if (workers.length <= allowed) return;
  const stopped = stop?.why === "too_many" ? " (the test stopped it there)" : "";
  const said = workerLines(result.lines);
  const lastStart = said.findLast((l) => l.event === "started")?.at ?? Infinity;
  // With every task done, workers that never got one, started after the last task had begun: the pool was closing.
  const allDone = new Set(doneLines(result.lines).map((d) => d.id)).size >= TASK_COUNT;
  const idle = workers.filter((w) => !said.some((l) => l.pid === w.pid) && w.firstSeen > lastStart);
  if (allDone && idle.length > 0) {
    fail(`main.ts started ${workers.length} worker processes for ${TASK_COUNT} tasks${stopped}; ${idle.length} of them ` +
      `(${idle.map((w) => w.pid).join(", ")}) after the last task had started, and never got a task: every ` +
      "task was done by then.", {
      hint: "close() ended the workers, and the pool took their exits for crashes and replaced them. Once " +
        "close() has begun, an exit is an ending, not a crash: replace no worker then.",
    });
  }
  fail(`main.ts started ${workers.length} worker processes for ${TASK_COUNT} tasks${stopped}. A pool of ${POOL_SIZE} ` +
    `needs ${POOL_SIZE}, plus one to replace the worker the test killed: ${allowed}.`, {
    hint: "Keep each worker for many tasks: when it sends back a Done, give it the next task instead of " +
      "starting a new process.",
  });
});

test(`each of the ${TASK_COUNT} tasks is done exactly once, by a worker of the pool`, async () => {
  const r = await run();
  const { result, killed, killedAt, stop } = r;
  const done = doneLines(result.lines);
  const said = workerLines(result.lines);
  const workers = new Set(workersOf(result).map((w) => w.pid));
  for (let id = 1; id <= TASK_COUNT; id++) {
    const reports = done.filter((d) => d.id === id);
    if (reports.length === 0) {
      const stopped = stop ? ` The test stopped main.ts at ${ms(stop.at)}, after ${STALL_MS / 1000} s in which nothing happened.` : "";
      // A worker alive when the run stalled, whose last word was "done" (or that never had a task), sat idle.
      const idle = (stop?.alive ?? []).filter((w) => said.findLast((l) => l.pid === w.pid)?.event !== "started");
      if (!said.some((l) => l.id === id) && idle.length > 0) {
        fail(`Task ${id} was never started, though worker ${idle[0].pid} sat idle with no task.${stopped}`, {
          hint: "A worker that sends back its Done is idle again: give it the next task in the queue then, not " +
            "only when run() queues a task.",
        });
      }
      const why = id === LONG_TASK && killed && killedAt !== undefined
        ? ` Its worker (pid ${killed.pid}) was killed by the test at ${ms(killedAt)}, in the middle of it.`
        : "";
      fail(`Task ${id} was never reported done.${why}${stopped}`, {
        hint: id === LONG_TASK
          ? "A task whose worker dies is not done: when a worker exits, put the task it had back in the queue."
          : "Every task given to run() must reach a worker, and its Done must resolve run()'s promise.",
      });
    }
    if (reports.length > 1) {
      fail(`Task ${id} was reported done ${reports.length} times, by workers ${reports.map((d) => d.pid).join(", ")}.`, {
        hint: "Give each task to one worker; hand it on again only if that worker died before finishing.",
      });
    }
    const [d] = reports;
    if (d.result !== id * id) fail(`Task ${id} came back with ${d.result}, expected ${id * id} (from worker.ts).`);
    if (!workers.has(d.pid)) {
      fail(`Task ${id} was done by pid ${d.pid}, which is not a worker process of main.ts ` +
        `(${d.pid === result.pid ? "it is main.ts itself" : "the kernel saw no such child"}).`, {
        hint: "Tasks run in the pool's worker processes: send each to a worker and wait for its Done.",
      });
    }
  }
});

test("a worker is given a task only when it is idle, one task at a time", async () => {
  const { result } = await run();
  // Each worker's own lines come in the order it printed them: started, done, started, done...
  const busyWith = new Map<number, number>();
  for (const l of workerLines(result.lines)) {
    const current = busyWith.get(l.pid);
    if (l.event === "started" && current !== undefined) {
      fail(`Worker ${l.pid} was given task ${l.id} while it was still busy with task ${current}: it said ` +
        `"task ${l.id} started" before "task ${current} done".`, {
        hint: "A pool hands a task only to an idle worker. Keep track of which workers are idle: a worker " +
          "is busy from the task you send it until its Done comes back.",
      });
    }
    if (l.event === "started") busyWith.set(l.pid, l.id);
    else busyWith.delete(l.pid);
  }
});

test("a worker that crashes is replaced, and its task is done by another", async () => {
  const r = await run();
  const { result } = r;
  const { killed, killedAt } = crashOf(r);
  const done = doneLines(result.lines).find((d) => d.id === LONG_TASK);
  if (done?.pid === killed.pid && done.at < killedAt) {
    fail(`The test meant to kill worker ${killed.pid} in the middle of task ${LONG_TASK}, but the task was ` +
      `already done at ${ms(done.at)}, before the kill at ${ms(killedAt)}: the machine is too loaded to tell.`);
  }
  const workers = workersOf(result);
  const fresh = workers.filter((w) => w.firstSeen > killedAt);
  if (fresh.length === 0) {
    fail(`The test killed worker ${killed.pid} at ${ms(killedAt)}, and no new worker was started after it: ` +
      `the pool went on with ${POOL_SIZE - 1}.`, {
      hint: "Listen for each worker's \"exit\": if the pool is still open, the worker crashed, so fork another.",
    });
  }
  const after = workers.filter((w) => w.pid !== killed.pid).map((w) => aliveInterval(w)).filter((i) => i.end > killedAt);
  const most = mostAlive(after.map((i) => ({ start: Math.max(i.start, killedAt), end: i.end })));
  if (most.count < POOL_SIZE) {
    fail(`After the crash, the pool never had ${POOL_SIZE} workers alive together again (at most ${most.count}).`, {
      hint: "The replacement joins the workers that are left; it does not wait for them to end.",
    });
  }
  if (done && done.pid === killed.pid) {
    fail(`Task ${LONG_TASK} was reported done by worker ${killed.pid}, which the test had killed at ${ms(killedAt)}.`);
  }
});

test("the program closes the pool and exits once every task is done, leaving nothing behind", async () => {
  const { result, stop } = await run();
  const alive = stop ? stop.alive.map((w) => w.pid).join(", ") || "none" : "";
  if (stop?.why === "after_done") {
    fail(`main.ts printed "main: all tasks done" and was still running ${AFTER_DONE_MS / 1000} s later, with ` +
      `these workers alive: ${alive}.`, {
      hint: "Once close() has resolved, no worker may be left: close() disconnects every worker, waits for " +
        "each exit, and replaces none of them.",
    });
  }
  if (stop && doneLines(result.lines).length >= TASK_COUNT) {
    fail(`Every task was done, but main.ts never printed "main: all tasks done": after ${STALL_MS / 1000} s ` +
      `in which nothing happened, the test stopped it, with these workers alive: ${alive}.`, {
      hint: "close() never resolved. A connected worker waits for tasks for ever: disconnect every worker, " +
        "then wait for each one's \"exit\".",
    });
  }
  if (stop) {
    fail(`The test stopped main.ts at ${ms(stop.at)}: tasks were left, and nothing happened for ${STALL_MS / 1000} s.`, {
      hint: "Give the task of a crashed worker to another worker, and the next task to each idle one.",
    });
  }
  assertFinished(result, { hint: "close() disconnects the workers and waits for them to exit." });
  if (!findLine(result, /^main: all tasks done$/)) fail('main.ts never printed "main: all tasks done".');
  assertNothingLeft(result, { hint: "close() must end every worker: disconnect each one and wait for its \"exit\"." });
});

test.run();
