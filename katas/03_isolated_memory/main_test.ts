// Tests of kata 03: what each process reports of its memory, tied to the
// processes the harness observed.
import { setTimeout as sleep } from "node:timers/promises";
import {
  childrenOf, describeEnd, fail, findLine, kataSuite, ms, once, type ProcessRecord, readStat, type RunningProgram,
  type RunResult, stderrTail,
} from "../../harness/mod.ts";

const { test, program } = kataSuite(import.meta.url, { deadlineMs: 30_000 });
const mainRun = once(() => program.run("main.ts", { allowFailure: true, watch: endWhenBothWait }));

/**
 * How long main.ts and its worker may both sleep, printing nothing, before the
 * test ends the run: nothing in this kata sleeps on purpose, so two processes
 * asleep that long wait for each other, and only the deadline would end them.
 */
const STALL_MS = 3000;
const STALL_POLL_MS = 100;

/**
 * Ends the run once its processes, two or more, have been asleep (state S),
 * silent and using no CPU for STALL_MS (a process loading its files through
 * tsx sleeps while esbuild works, but not for long: it compiles between).
 */
async function endWhenBothWait(running: RunningProgram): Promise<void> {
  let ended = false;
  running.result.then(() => (ended = true), () => (ended = true));
  let since: number | undefined;
  let printed = 0;
  let used = "";
  while (!ended) {
    await sleep(STALL_POLL_MS);
    const alive = running.tree.alive();
    const cpu = alive.map((p) => `${p.pid}:${readStat(p.pid)?.cpuTicks}`).join(" ");
    const asleep = alive.length >= 2 && alive.every((p) => p.state === "S") && running.lines.length === printed &&
      cpu === used;
    printed = running.lines.length;
    used = cpu;
    since = asleep ? since ?? running.now() : undefined;
    if (since !== undefined && running.now() - since >= STALL_MS && !ended) {
      await running.expire();
      return;
    }
  }
}

const PARENT_LINE = /^parent (\d+): counter=(\d+) settings=(.*)$/;
const CHILD_START = /^child (\d+): counter at start=(\d+)$/;
const CHILD_LINE = /^child (\d+): counter=(\d+) settings=(.*)$/;
const ORIGINAL = { owner: "parent", tags: ["shared?"] };
const CHANGED = { owner: "child", tags: ["shared?", "changed"] };

function worker(r: RunResult): ProcessRecord {
  const found = childrenOf(r, r.pid).find((p) => p.argv.some((a) => a.endsWith("worker.ts")));
  if (found) return found;
  return fail(
    `Expected a child process of main.ts (pid ${r.pid}) running worker.ts, but the harness saw none.` +
      (r.exitCode === 0 ? "" : `\nmain.ts ${describeEnd(r)}:\n${stderrTail(r)}`),
    { hint: "fork() the worker: memory is only separate between separate processes." },
  );
}

/**
 * Why a line is missing: the parent and the worker waited for each other until
 * the deadline, or the parent crashed or gave up; undefined when it ended well.
 */
function whyMissing(r: RunResult): string | undefined {
  if (r.timedOut) {
    const w = childrenOf(r, r.pid).find((p) => p.argv.some((a) => a.endsWith("worker.ts")));
    const atDeadline = r.aliveAtDeadline.filter((p) => p.pid === r.pid || p.pid === w?.pid);
    if (w === undefined || atDeadline.length < 2) return undefined;
    // Both asleep (not running, not loading) at the deadline: each waited for the other.
    const stuck = r.deadlock !== undefined || atDeadline.every((p) => p.state === "S");
    if (!stuck) {
      return `At the harness's ${ms(r.deadlineMs)} deadline the parent and the worker were both still busy ` +
        `(${atDeadline.map((p) => `pid ${p.pid} in state ${p.state}`).join(", ")}): is this machine very slow?`;
    }
    const when = r.expired
      ? `after ${ms(STALL_MS)} in which both slept and printed nothing (the test then ended the run, ` +
        `${ms(r.deadlineMs)} into it)`
      : `at the harness's ${ms(r.deadlineMs)} deadline`;
    const waited = `The parent and the worker were both still there ${when}, ` +
      "each waiting for the other: a deadlock. The parent waits for the worker's \"exit\", ";
    if (!findLine(r, CHILD_START)) {
      return `${waited}and the worker waits for a message that never came: it printed nothing.\n` +
        "Send the settings (child.send) before you wait for the worker to end, not after.";
    }
    return `${waited}and the worker, its work done, stayed alive: its IPC channel to the parent was still open, ` +
      "waiting for more messages.\nLet go of the channel once the message is handled (process.once and " +
      "process.channel?.unref(), as given), so that the worker can end.";
  }
  if (r.exitCode === 0) return undefined;
  const tail = stderrTail(r);
  return `main.ts ${describeEnd(r)}.${tail ? ` The end of its stderr:\n${tail}` : ""}`;
}

function line(r: RunResult, pattern: RegExp, what: string): RegExpExecArray {
  const l = findLine(r, pattern);
  if (!l) {
    const why = whyMissing(r);
    fail(`Expected ${what}, but the program printed no such line.${why ? `\n${why}` : ""}`, {
      kind: r.timedOut ? "deadline" : r.exitCode === 0 ? "check" : "crash",
    });
  }
  return pattern.exec(l.text)!;
}

function parseSettings(text: string, who: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fail(`The ${who} printed settings that are not JSON: ${text}`);
  }
}

test("the parent and the worker are distinct processes, as observed", async () => {
  const r = await mainRun();
  const w = worker(r);
  const [, childPid] = line(r, CHILD_LINE, 'the worker\'s line "child <pid>: counter=..."');
  const [, parentPid] = line(r, PARENT_LINE, 'the parent\'s line "parent <pid>: counter=..."');
  if (Number(parentPid) !== r.pid || Number(childPid) !== w.pid) {
    fail(`The printed pids (parent ${parentPid}, child ${childPid}) are not the observed ones ` +
      `(parent ${r.pid}, worker ${w.pid}).`, { hint: "Each process should print its own process.pid." });
  }
});

test("the worker starts with a module of its own, not the parent's values", async () => {
  const r = await mainRun();
  worker(r);
  const [, , start] = line(r, CHILD_START, 'the worker\'s line "child <pid>: counter at start=<n>"');
  if (start !== "0") {
    fail(`The worker saw counter=${start} at its start, but a new process loads state.ts afresh: 0.`);
  }
});

test("a module-level variable changed in the worker is unchanged in the parent", async () => {
  const r = await mainRun();
  worker(r);
  const [, , childCounter] = line(r, CHILD_LINE, "the worker's counter");
  const [, , parentCounter] = line(r, PARENT_LINE, "the parent's counter");
  if (childCounter !== "1") {
    fail(`The worker reports counter=${childCounter}, expected 1.`, {
      hint: "The worker must add 1 to state.counter before it prints.",
    });
  }
  if (parentCounter !== "10") {
    fail(`The parent reports counter=${parentCounter}, expected its own 10.`, {
      hint: "Did the worker's code run inside the parent's process?",
    });
  }
});

test("an object sent to the worker and changed there is unchanged in the parent", async () => {
  const r = await mainRun();
  worker(r);
  const child = parseSettings(line(r, CHILD_LINE, "the worker's settings")[3], "worker");
  const parent = parseSettings(line(r, PARENT_LINE, "the parent's settings")[3], "parent");
  if (JSON.stringify(child) !== JSON.stringify(CHANGED)) {
    fail(`The worker reports settings ${JSON.stringify(child)}, expected ${JSON.stringify(CHANGED)}.`, {
      hint: "Send the settings with child.send(), and change them in the worker's message handler.",
    });
  }
  if (JSON.stringify(parent) !== JSON.stringify(ORIGINAL)) {
    fail(`The parent's settings became ${JSON.stringify(parent)}: they should be untouched.`);
  }
});

test("the parent reports only after the worker has ended", async () => {
  const r = await mainRun();
  const w = worker(r);
  const parentLine = findLine(r, PARENT_LINE);
  if (!parentLine) return fail("The parent printed no line.");
  if (w.lastAlive === undefined || parentLine.at <= w.lastAlive) {
    fail(`The parent printed at ${Math.round(parentLine.at)} ms while the worker was alive ` +
      `until ${Math.round(w.lastAlive ?? 0)} ms: its view proves nothing yet.`, {
      hint: 'Wait for the worker\'s "exit" event before printing.',
    });
  }
});

test("the program exits with code 0 and leaves nothing behind", async () => {
  const r = await mainRun();
  if (r.exitCode !== 0) fail(`main.ts ${describeEnd(r)}.\n${stderrTail(r)}`);
});

test.run();
