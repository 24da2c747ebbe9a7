// Tests of kata 02: the program's three modes, judged on the observed tree and
// on the order of the lines in its output (one pipe carries them all in order).
import {
  aliveInterval, assertAtLeast, assertBelow, assertInOrder, assertOverlap, childrenOf, describeEnd, fail,
  type Interval, kataSuite, ms, once, type OutputLine, type ProcessRecord, type RunResult, stderrTail,
} from "../../harness/mod.ts";

const UNIT_MS = 300;
const { test, program } = kataSuite(import.meta.url, { unitMs: UNIT_MS, deadlineMs: 90_000 });
const NAMES = ["qq", "tmall", "jd", "pxx"];
const SUM_UNITS = 10; // 1 + 2 + 3 + 4
const LONGEST_UNITS = 4;
/** The second join's timeout in the timeout mode. */
const LONG_TIMEOUT_UNITS = 30;
/**
 * How soon after slow's end join(slow, 30 units) must return, and the program
 * exit after its last line: the wrong answers take 28 units, the right ones
 * only what a loaded machine adds to reaping a child or ending a process.
 */
const SOON_UNITS = 10;

const run = (mode: string) => once(() => program.run("main.ts", { args: [mode], allowFailure: true }));
const together = run("together");
const oneByOne = run("one_by_one");
const timeout = run("timeout");
// The three runs are independent: start them side by side, not one after another.
for (const mode of [together, oneByOne, timeout]) mode();

/** Why the program stopped, when it did not end well, for messages. */
function ending(r: RunResult): string {
  return r.exitCode === 0 ? "" : `\nmain.ts ${describeEnd(r)}.${stderrTail(r) ? `\n${stderrTail(r)}` : ""}`;
}

/** The observed child running task.ts `name`; fails with a lesson if there is none. */
function task(r: RunResult, name: string): ProcessRecord {
  const kids = childrenOf(r, r.pid).filter((p) => p.argv.some((a) => a.endsWith("task.ts")));
  const found = kids.find((p) => p.argv.includes(name));
  if (found) return found;
  return fail(
    `Expected a child process of main.ts running task.ts "${name}", but the harness saw ` +
      `${kids.length === 0 ? "none" : kids.map((p) => p.argv.slice(-2).join(" ")).join(", ")}.${ending(r)}`,
    { hint: "startTask() must fork task.ts with the name and the number of units." },
  );
}

function intervals(r: RunResult): Interval[] {
  return NAMES.map((n) => aliveInterval(task(r, n), n));
}

/** The index in the output of the first stdout line containing `text`, or -1. */
function lineIndex(r: RunResult, text: string): number {
  return r.lines.findIndex((l) => l.stream === "stdout" && l.text.includes(text));
}

/** The total line of `mode`; fails unless it came after every task had ended. */
function totalLine(r: RunResult, mode: string): { line: OutputLine; total: number } {
  const at = r.lines.findIndex((l) => l.stream === "stdout" && new RegExp(`^${mode}: total \\d+ ms$`).test(l.text));
  if (at < 0) fail(`Expected main.ts to print "${mode}: total <n> ms" at the end, but it did not.${ending(r)}`);
  const line = r.lines[at];
  for (const name of NAMES) {
    if (lineIndex(r, `task ${name}: done`) > at || line.at <= (task(r, name).lastAlive ?? 0)) {
      fail(`main.ts printed its total while "${name}" was still running: its "task ${name}: done" came later.`, {
        hint: "Did you await every join? A join that is not awaited (in forEach, or a promise left aside) " +
          "waits for nothing.",
      });
    }
  }
  return { line, total: Number(/total (\d+)/.exec(line.text)![1]) };
}

test("each task runs in its own process, a child of the program", async () => {
  const r = await together();
  const pids = new Set(NAMES.map((n) => task(r, n).pid));
  if (pids.size !== NAMES.length || pids.has(r.pid)) fail("Expected four distinct child processes.");
});

// Before the runs of together(): a join that waits for an "exit" already emitted
// hangs there too, whenever a loaded machine lets a shorter task end first.
test("join on a child that has already ended returns true at once, however it ended", async () => {
  const r = await timeout();
  const again = said(r, "join(slow) again",
    "An ended child emits no more \"exit\" events: a join that waits for one waits for ever. Look at " +
      "child.exitCode and child.signalCode first, and settle at once when either is set.");
  if (again.value !== "true") fail(`join() on slow, which had ended, returned ${again.value}.`);
  const doomed = said(r, "join(doomed), killed by SIGTERM long ago",
    "A child killed by a signal has no exit code: child.exitCode stays null and child.signalCode says " +
      "\"SIGTERM\". Check both before waiting for an \"exit\" that has already come.");
  if (doomed.value !== "true") fail(`join() on doomed, killed long ago, returned ${doomed.value}.`);
});

test("started together, all four tasks are alive at the same time", async () => {
  assertOverlap(intervals(await together()), {
    hint: "Did you join each child right after starting it? Start all four first, then join.",
  });
});

test("started together, the program prints its total only after every task ended", async () => {
  totalLine(await together(), "together");
});

test("started together, the total is the longest sleep, not the sum", async () => {
  const r = await together();
  const { total } = totalLine(r, "together");
  const spans = intervals(r);
  const observed = Math.max(...spans.map((s) => s.end)) - Math.min(...spans.map((s) => s.start));
  assertAtLeast("the printed total", total, Math.max(observed, LONGEST_UNITS * UNIT_MS), {
    hint: `The tasks were seen running over ${ms(observed)}, and pxx alone sleeps ${LONGEST_UNITS} units: ` +
      "measure from before the first start to after the last join.",
  });
  // One after another, the total would cover the four lifetimes added up; together
  // it is about the longest one. The lifetimes are observed, so this holds however
  // slowly the machine starts processes.
  const lifetimes = spans.reduce((sum, i) => sum + (i.end - i.start), 0);
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
  const { total } = totalLine(await oneByOne(), "one_by_one");
  assertAtLeast("the total", total, SUM_UNITS * UNIT_MS, {
    hint: "Each join must wait for its task to end.",
  });
});

/** A line of the timeout mode: where it stands in the output, when it came, what join() returned. */
interface Said {
  index: number;
  at: number;
  value: string;
}

/** The line of the timeout mode that starts with `prefix`; fails with `hint` if there is none. */
function said(r: RunResult, prefix: string, hint: string): Said {
  const index = lineIndex(r, `timeout: ${prefix} -> `);
  if (index < 0) {
    fail(`Expected a line "timeout: ${prefix} -> true|false", but main.ts printed none.${ending(r)}`, { hint });
  }
  const text = r.lines[index].text;
  return { index, at: r.lines[index].at, value: text.slice(text.lastIndexOf(" ") + 1) };
}

const EVERY_PROMISE_SETTLES = "Does every join() promise settle? One that never does ends the program early.";

test("join with a timeout gives up after the timeout while the child runs on", async () => {
  const r = await timeout();
  const slow = task(r, "slow");
  const first = said(r, "join(slow, 1 unit)", EVERY_PROMISE_SETTLES);
  const done = lineIndex(r, "task slow: done");
  if (done >= 0 && first.index > done) {
    fail("join(slow, 1 unit) returned only after slow had printed \"task slow: done\", 2 units after its timeout.", {
      hint: "Did join() ignore the timeout? Resolve false when the timer fires first, without waiting for \"exit\".",
    });
  }
  if (first.value !== "false") {
    fail(`join(slow, 1 unit) returned ${first.value}, but slow had 3 units of sleep ahead of it: it cannot have ` +
      "ended.", {
      hint: "Resolve false when the timer fires before the child's \"exit\" event.",
    });
  }
  if (done < 0) {
    const orphaned = (slow.lastAlive ?? 0) > r.durationMs ? ", and main.ts exited before it" : "";
    const lived = (slow.lastAlive ?? slow.firstSeen) - slow.firstSeen;
    fail(`slow never printed "task slow: done": it was cut off ${ms(lived)} ` +
      `into its life, before its 3 units of sleep were over${orphaned}.`, {
      hint: "The timeout stops the wait, not the child: when the timer fires, join() resolves false and " +
        "leaves the child alone (no kill()). Whoever joined can decide what to do next.",
    });
  }
  // slow was created before join() began, so this is a lower bound (creation times have a 10 ms resolution).
  const waited = first.at - slow.createdAt;
  assertAtLeast("the time from slow's creation to the end of join(slow, 1 unit)", waited, UNIT_MS - 20, {
    hint: "join(child, timeout) must wait for the timeout before giving up.",
  });
});

test("join with a timeout returns true as soon as the child ends", async () => {
  const r = await timeout();
  task(r, "slow");
  const second = said(r, `join(slow, ${LONG_TIMEOUT_UNITS} units)`, EVERY_PROMISE_SETTLES);
  if (second.value !== "true") {
    fail(`join(slow, ${LONG_TIMEOUT_UNITS} units) returned ${second.value}, but slow ended within it.`);
  }
  const done = lineIndex(r, "task slow: done");
  if (done < 0 || second.index < done) fail(`join(slow, ${LONG_TIMEOUT_UNITS} units) returned before slow had ended.`);
  // Waiting for the timer would take 28 more units: far from the right answer.
  assertBelow(`the time from "task slow: done" to join's return`, second.at - r.lines[done].at, SOON_UNITS * UNIT_MS, {
    hint: "join() must return when the child's \"exit\" event fires, not when the timeout runs out.",
  });
});

test("a join that has returned leaves no timer behind", async () => {
  const r = await timeout();
  const last = said(r, "join(doomed), killed by SIGTERM long ago", EVERY_PROMISE_SETTLES);
  // A timer left armed by join(slow, 30 units) keeps the program 28 units after its last line.
  assertBelow("the time from main's last line to its exit", r.durationMs - last.at, SOON_UNITS * UNIT_MS, {
    hint: `join(slow, ${LONG_TIMEOUT_UNITS} units) returned when slow ended, but its timer still ran: an armed ` +
      "timer keeps Node's event loop alive. Clear the timer (clearTimeout) when the child ends first.",
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
