// Tests of kata 02: the program's three modes, judged on the observed tree.
import {
  aliveInterval,
  assertAtLeast,
  assertBelow,
  assertInOrder,
  assertOverlap,
  childrenOf,
  describeEnd,
  fail,
  findLine,
  type Interval,
  kataSuite,
  once,
  type ProcessRecord,
  type RunResult,
  stderrTail,
} from "../../harness/mod.ts";

const UNIT_MS = 500;
const { test, program } = kataSuite(import.meta.url, { unitMs: UNIT_MS, deadlineMs: 15_000 });
const NAMES = ["qq", "tmall", "jd", "pxx"];
const SUM_UNITS = 10; // 1 + 2 + 3 + 4
const LONGEST_UNITS = 4;

const run = (mode: string) => once(() => program.run("main.ts", { args: [mode], allowFailure: true }));
const together = run("together");
const oneByOne = run("one_by_one");
const timeout = run("timeout");

/** The observed child running task.ts `name`; fails with a lesson if there is none. */
function task(r: RunResult, name: string): ProcessRecord {
  const kids = childrenOf(r, r.pid).filter((p) => p.argv.some((a) => a.endsWith("task.ts")));
  const found = kids.find((p) => p.argv.includes(name));
  if (found) return found;
  const why = r.exitCode === 0 ? "" : `\nmain.ts ${describeEnd(r)}:\n${stderrTail(r)}`;
  return fail(
    `Expected a child process of main.ts running task.ts "${name}", but the harness saw ` +
      `${kids.length === 0 ? "none" : kids.map((p) => p.argv.slice(-2).join(" ")).join(", ")}.${why}`,
    { hint: "startTask() must fork task.ts with the name and the number of units." },
  );
}

function intervals(r: RunResult): Interval[] {
  return NAMES.map((n) => aliveInterval(task(r, n), n));
}

/** The total the program printed, checked against what the harness observed. */
function reportedTotal(r: RunResult, mode: string): number {
  const line = findLine(r, new RegExp(`^${mode}: total (\\d+) ms$`));
  if (!line) fail(`Expected main.ts to print "${mode}: total <n> ms" at the end, but it did not.${
    r.exitCode === 0 ? "" : `\nmain.ts ${describeEnd(r)}:\n${stderrTail(r)}`}`);
  const total = Number(/total (\d+)/.exec(line.text)![1]);
  const spans = intervals(r);
  const observed = Math.max(...spans.map((s) => s.end)) - Math.min(...spans.map((s) => s.start));
  assertAtLeast(`the printed total`, total, observed, {
    hint: `The tasks were seen running over ${Math.round(observed)} ms, so the program cannot have ` +
      "waited less. Measure from before the first start to after the last join.",
  });
  for (const s of spans) {
    if (line.at <= s.end) {
      fail(`main.ts printed its total at ${Math.round(line.at)} ms while "${s.label}" was still ` +
        `alive (seen at ${Math.round(s.end)} ms).`, { hint: "Join every task before printing the total." });
    }
  }
  return total;
}

test("each task runs in its own process, a child of the program", async () => {
  const r = await together();
  const pids = new Set(NAMES.map((n) => task(r, n).pid));
  if (pids.size !== NAMES.length || pids.has(r.pid)) fail("Expected four distinct child processes.");
});

test("started together, all four tasks are alive at the same time", async () => {
  assertOverlap(intervals(await together()), {
    hint: "Did you join each child right after starting it? Start all four first, then join.",
  });
});

test("started together, the total is the longest sleep, not the sum", async () => {
  const total = reportedTotal(await together(), "together");
  assertAtLeast("the total", total, LONGEST_UNITS * UNIT_MS, {
    hint: "Joining must wait for the child to end: pxx alone sleeps 4 units.",
  });
  // One after another, the total would be at least the four lifetimes added up
  // (at least 10 units); together it is about the longest one. Comparing with
  // the observed lifetimes holds however slowly the machine starts processes.
  const lifetimes = intervals(await together()).reduce((sum, i) => sum + (i.end - i.start), 0);
  assertBelow("the total", total, lifetimes, {
    hint: "That is as long as the four tasks' lifetimes added up, as if they ran one after another: " +
      "start all four before joining.",
  });
});

test("one by one, each task starts only after the previous one ended", async () => {
  assertInOrder(intervals(await oneByOne()), {
    hint: "Join each task before you start the next one.",
  });
});

test("one by one, the total is at least the sum of the sleeps", async () => {
  const total = reportedTotal(await oneByOne(), "one_by_one");
  assertAtLeast("the total", total, SUM_UNITS * UNIT_MS, {
    hint: "Each join must wait for its task to end.",
  });
});

/** The line of the timeout mode that starts with `prefix`, and the value it reports. */
function timeoutLine(r: RunResult, prefix: string): { at: number; value: string } {
  const line = findLine(r, `timeout: ${prefix} -> `);
  if (!line) {
    fail(`Expected a line "timeout: ${prefix} -> true|false", but main.ts printed none.` +
      `${r.exitCode === 0 ? "" : `\nmain.ts ${describeEnd(r)}:\n${stderrTail(r)}`}`, {
      hint: "Does every join() promise settle? One that never does ends the program early.",
    });
  }
  return { at: line.at, value: line.text.slice(line.text.lastIndexOf(" ") + 1) };
}

test("join with a timeout gives up after the timeout while the child runs on", async () => {
  const r = await timeout();
  const slow = task(r, "slow");
  const first = timeoutLine(r, "join(slow, 1 unit)");
  if (first.value !== "false") {
    fail(`join(slow, 1 unit) returned ${first.value}, but slow sleeps 3 units: it cannot have ended.`, {
      hint: "Resolve false when the timer fires before the child's \"exit\" event.",
    });
  }
  // The kernel's creation time has a 10 ms resolution.
  assertAtLeast("the time from slow's creation to the timeout", first.at - slow.createdAt, UNIT_MS - 20, {
    hint: "join(child, timeout) must wait for the timeout before giving up.",
  });
  if (slow.lastAlive === undefined || first.at >= slow.lastAlive) {
    fail("join(slow, 1 unit) returned only after slow had ended.", {
      hint: "A timeout must stop the waiting; did join() ignore it?",
    });
  }
});

test("join with a timeout returns true as soon as the child ends", async () => {
  const r = await timeout();
  const slow = task(r, "slow");
  const second = timeoutLine(r, "join(slow, 10 units)");
  if (second.value !== "true") fail(`join(slow, 10 units) returned ${second.value}, but slow ended within it.`);
  if (second.at <= (slow.lastAlive ?? 0)) fail("join(slow, 10 units) returned while slow was still alive.");
  assertBelow("the time from slow's end to join's return", second.at - (slow.lastAlive ?? 0), 3 * UNIT_MS, {
    hint: "join() must return when the child ends, not when the timeout runs out.",
  });
});

test("join on a child that has already ended returns true at once", async () => {
  const r = await timeout();
  const second = timeoutLine(r, "join(slow, 10 units)");
  const third = timeoutLine(r, "join(slow) again");
  if (third.value !== "true") fail(`join() on an ended child returned ${third.value}.`);
  assertBelow("the time join() took on an ended child", third.at - second.at, UNIT_MS, {
    hint: "An ended child emits no more \"exit\" events: check child.exitCode and child.signalCode first.",
  });
});

test("every mode exits with code 0 and leaves nothing behind", async () => {
  for (const r of [await together(), await oneByOne(), await timeout()]) {
    if (r.exitCode !== 0 || r.leftovers.length > 0) {
      fail(`main.ts ${r.args[0]} ${describeEnd(r)}` +
        (r.leftovers.length ? ` and left ${r.leftovers.length} process(es) behind` : "") +
        `.\n${stderrTail(r)}`);
    }
  }
});

test.run();
