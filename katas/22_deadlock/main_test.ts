// Tests of kata 22: two dinners, ordered and naive, side by side. Who holds
// and waits for which fork comes from each philosopher's own lines; which
// processes exist, and what each was doing when a stuck dinner was ended,
// from the kernel.
import { assertFinished, assertNothingLeft, fail, kataSuite, ms, once, type RunResult } from "../../harness/mod.ts";
import {
  describeCycle,
  diners,
  parseReport,
  philosopherProcesses,
  pidsOf,
  reportLines,
  tail,
  untilQuiet,
  waitCycle,
  watchDinner,
} from "./_support/dinner.ts";

const UNIT_MS = 100;
const PHILOSOPHERS = 3;
const MEALS = 2;
/** Once the naive dinner's lines show the cycle, the broker has this long to report it (it knew first). */
const REPORT_WAIT_MS = 10_000;
/** Generous: on a machine loaded far past its 2 cores, five TypeScript processes took a minute to start. */
const DEADLINE_MS = 150_000;
const { test, program } = kataSuite(import.meta.url, { unitMs: UNIT_MS, deadlineMs: DEADLINE_MS });

const ORDER_HINT = "Give the forks one global order and have every philosopher take its two in that order " +
  "(the lower-numbered first): then nobody can hold a fork while waiting for a lower one, and no cycle can close.";

/** The ordered dinner, watched: stopped as soon as its lines show a wait cycle or a livelock. */
const ordered = once(async () => {
  const running = program.start("main.ts", { args: ["ordered", String(PHILOSOPHERS)] });
  const stuck = await watchDinner(running, { spinning: true });
  // The naive dinner starts once this one has its verdict (stuck, or ended), so that its five
  // start-ups do not compete with this dinner's: a stub's deadlock is then told at once.
  void naive();
  // The lines prove the stall: the verdict need not wait for the run's end.
  if (stuck) void running.expire();
  return { running, stuck };
});
const orderedResult = once(async () => (await ordered()).running.result);

/** The naive dinner: once its lines show the cycle, and the broker had time to report it, ended by the test. */
const naive = once(async () => {
  const running = program.start("main.ts", { args: ["naive", String(PHILOSOPHERS)] });
  const stuck = await watchDinner(running, { reportWaitMs: REPORT_WAIT_MS });
  let spinning: number[] = [];
  if (stuck) {
    // Processes that have just started may still compile for a moment: let them settle first.
    spinning = await untilQuiet(running);
    await running.expire();
  }
  return { r: await running.result, stuck, spinning };
});

/** The philosophers of a run by number, checked: one process each, children of main.ts. */
function philosophersOf(r: RunResult) {
  const found = philosopherProcesses(r.tree, r.pid);
  if (found.size !== PHILOSOPHERS) {
    fail(`Expected ${PHILOSOPHERS} philosopher processes, children of main.ts (pid ${r.pid}) running ` +
      `philosopher.ts, but the harness saw ${found.size}.`);
  }
  return found;
}

test("with the forks taken in one global order, every philosopher eats and main.ts ends", async () => {
  const { running, stuck } = await ordered();
  if (stuck) {
    const pids = pidsOf(running.tree.records(), running.pid);
    const { steps, spinning } = stuck.cycle;
    if (spinning) {
      fail(`A livelock: by ${ms(stuck.at)} the ordered dinner went round in circles:\n` +
        `${describeCycle(stuck.cycle, pids)}\n` +
        "Nobody waits, yet nobody eats: each keeps trying a fork the next one holds, and never puts its own down.", {
        hint: "A try-lock cures a deadlock only with a back-off: when the second fork is busy, put the first " +
          "down, wait a moment (a random one, so that neighbours fall out of step) and start again. " + ORDER_HINT,
      });
    }
    fail(`The ordered dinner deadlocked: by ${ms(stuck.at)} its lines showed a circular wait of ` +
      `${steps.length} philosophers, each holding one fork and waiting for the next one's:\n` +
      `${describeCycle(stuck.cycle, pids)}\n` +
      "None of them can eat, so none puts a fork down: they will wait for ever.", { hint: ORDER_HINT });
  }
  const r = await orderedResult();
  assertFinished(r);
  assertNothingLeft(r);
  const found = philosophersOf(r);
  const all = diners(r.lines);
  for (const [id, p] of found) {
    const at = p.argv.findIndex((a) => a.endsWith("philosopher.ts"));
    const forks = [Number(p.argv[at + 2]), Number(p.argv[at + 3])];
    const meals = all.get(id)?.meals ?? [];
    if (meals.length !== MEALS) {
      fail(`Philosopher ${id} (pid ${p.pid}) ate ${meals.length} time(s), expected ${MEALS}. Its last lines:\n` +
        tail(r, 8));
    }
    const short = meals.find((m) => !forks.every((f) => m.holding.includes(f)));
    if (short) {
      fail(`Philosopher ${id} (pid ${p.pid}) said it eats (meal ${short.meal}) holding fork(s) ` +
        `${short.holding.join(", ") || "none"}, but it needs both of its forks, ${forks.join(" and ")}.`, {
        hint: "pickUpForks() must resolve only once the philosopher holds both its forks.",
      });
    }
  }
});

test("the ordered dinner raises no false alarm: philosophers wait, but no cycle, so no deadlock report", async () => {
  const r = await orderedResult();
  const alarm = reportLines(r.lines)[0];
  if (alarm) {
    fail(`The broker printed "${alarm.text}" at ${ms(alarm.at)} in the ordered dinner, which went on and ended: ` +
      "a false alarm. A philosopher waiting for a fork is no deadlock: its holder will eat and put it down. " +
      "A deadlock is a cycle of waits that comes back to where it started.", {
      hint: "From the new waiter, follow the wait-for graph: the holder of the fork it waits for, the fork that " +
        "one waits for, its holder... Report only if the walk comes back to the new waiter; if it reaches a " +
        "philosopher that waits for nothing, there is no deadlock.",
    });
  }
});

test("taken naively, left fork then right, the dinner deadlocks: all alive, all waiting, none eating", async () => {
  const { r, stuck, spinning } = await naive();
  const found = philosophersOf(r);
  if (!r.timedOut) {
    fail(`The naive dinner ended by itself (main.ts exited with code ${r.exitCode}) at ${ms(r.durationMs)}, ` +
      "but every philosopher taking its left fork first must deadlock: the seating rule makes each hold its " +
      "left fork before anyone reaches for a right one. The naive mode is the experiment: keep it naive.", {
      hint: "Change only the ordered branch of pickUpForks(); the naive one takes the left fork, then the right.",
    });
  }
  if (!stuck) {
    fail(`The naive dinner was still running at its ${r.deadlineMs} ms deadline, yet its lines never showed ` +
      `a cycle of philosophers each holding a fork and waiting for the next one's. Its last lines:\n${tail(r)}`);
  }
  const ate = [...diners(r.lines).values()].filter((d) => d.meals.length > 0);
  if (ate.length > 0) fail(`In the naive dinner philosopher ${ate[0].id} ate, yet the dinner then deadlocked.`);
  const alive = new Set(r.aliveAtDeadline.map((p) => p.pid));
  const gone = [r.pid, ...[...found.values()].map((p) => p.pid)].filter((pid) => !alive.has(pid));
  if (gone.length > 0) {
    fail(`A deadlock leaves every process alive and waiting, but when the test ended the stuck naive dinner, ` +
      `pid(s) ${gone.join(", ")} had already ended.`);
  }
  // Judged on CPU time over half a second, not on one look at a process's state: a loaded machine may
  // find a waiting process running for a moment (a timer, the garbage collector).
  if (spinning.length > 0) {
    fail(`In the stuck naive dinner, pid ${spinning[0]} kept using the CPU (a quarter of a core or more, ` +
      "for 10 s): a deadlocked process waits and uses no CPU. Is something polling or spinning?");
  }
});

test("the broker reports the wait cycle once, naming each philosopher's process in order", async () => {
  const { r, stuck } = await naive();
  const reports = reportLines(r.lines);
  const pids = pidsOf(r.tree, r.pid);
  if (reports.length === 0) {
    fail(`The broker printed no "deadlock: ..." line, though the naive dinner deadlocked: by ${ms(stuck?.at ?? 0)} ` +
      `the lines showed this cycle, and the test waited ${REPORT_WAIT_MS / 1000} s more:\n` +
      `${stuck ? describeCycle(stuck.cycle, pids) : tail(r)}`, {
      hint: "The broker sees every wait: keep the wait-for graph (who waits for which fork, who holds it) and, " +
        "each time a philosopher must wait, walk it from that philosopher. A walk that comes back to it is a cycle.",
    });
  }
  if (reports.length > 1) {
    fail(`The broker reported the deadlock ${reports.length} times:\n` +
      reports.map((l) => `  ${l.text}`).join("\n") + "\nA cycle closes once, at the request that closes it.");
  }
  const named = parseReport(reports[0].text);
  const form = "deadlock: philosopher 1 (pid 4101) waits for philosopher 3 (pid 4103) waits for ... waits for " +
    "philosopher 1 (pid 4101)";
  if (!named || named.length < 3) fail(`Cannot read the report "${reports[0].text}": expected the form\n  ${form}`);
  if (named[0].id !== named.at(-1)!.id || named[0].pid !== named.at(-1)!.pid) {
    fail(`The report "${reports[0].text}" does not come back to where it began: a cycle ends with the ` +
      `philosopher it started from (${form}).`);
  }
  for (const { id, pid } of named) {
    const seen = pids.get(id);
    if (seen === pid) continue;
    const who = pid === r.pid ? "main.ts itself" : seen === undefined ? "no philosopher" : `not philosopher ${id}`;
    fail(`The report names philosopher ${id} with pid ${pid}, but that pid is ${who}: the kernel saw ` +
      `philosopher ${id} as pid ${seen}. The report must name each philosopher's own process.`, {
      hint: "The broker runs in main.ts: process.pid there is main's. Each philosopher's process is its " +
        "ChildProcess's .pid.",
    });
  }
  const all = diners(r.lines);
  const cycle = stuck?.cycle ?? waitCycle(r.lines);
  for (let i = 0; i + 1 < named.length; i++) {
    const a = all.get(named[i].id);
    const b = all.get(named[i + 1].id);
    const fork = a && [...a.waits][0];
    const holder = [...all.values()].find((d) => fork !== undefined && d.holds.has(fork));
    if (!a || !b || holder !== b) {
      fail(`The report says philosopher ${named[i].id} waits for philosopher ${named[i + 1].id}, but ` +
        `philosopher ${named[i].id} waits for fork ${fork ?? "(none)"}, held by philosopher ` +
        `${holder?.id ?? "(nobody)"}. The cycle, from the lines:\n${cycle ? describeCycle(cycle, pids) : tail(r)}`, {
        hint: "Each step of the cycle goes from a waiter to the holder of the fork it waits for: follow the holder, " +
          "not the philosophers who wait for a fork the waiter holds.",
      });
    }
  }
  if (cycle && named.length - 1 !== cycle.steps.length) {
    fail(`The report names ${named.length - 1} philosophers, but the cycle in the lines has ${cycle.steps.length}:\n` +
      describeCycle(cycle, pids));
  }
});

test.run();
