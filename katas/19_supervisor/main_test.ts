// Tests of kata 19: two runs of the supervisor over a shell child that crashes
// to plan, judged on the children the kernel showed: how many, one at a time,
// and the gap between each one's end and the next one's start.
import {
  assertFinished,
  assertInOrder,
  assertNothingLeft,
  describeEnd,
  fail,
  kataSuite,
  ms,
  once,
  parentHistory,
  type ProcessRecord,
} from "../../harness/mod.ts";
import {
  childrenOfSupervisor,
  CRASHY,
  crashyRun,
  gap,
  HOPELESS,
  hopelessRun,
  lives,
  mostRestartsWithin,
  outlived,
} from "./_support/runs.ts";

const UNIT_MS = 200;
/** A gap counts as too short only when it is half a unit short: wrong delays are a unit off or more. */
const SLACK_MS = UNIT_MS / 2;
/** After a stable run the delay is 1 unit; kept at 16 it is not: the line between them. */
const RESET_BOUND_MS = 6 * UNIT_MS;
/** Generous: on a machine loaded far past its 2 cores, a TypeScript program has taken 25 s to start. */
const { test, program } = kataSuite(import.meta.url, { unitMs: UNIT_MS, deadlineMs: 180_000 });

const crashy = once(() => crashyRun(program, UNIT_MS));
const hopeless = once(() => hopelessRun(program, UNIT_MS));

const BACKOFF_HINT = "Back off: wait 1 unit before the first restart and double the delay after each crash in a " +
  "row (1, 2, 4, 8...), so that a child that cannot start does not spin the machine.";

/** `n` as a child's place in words: "child 3 (pid 4242)". */
function named(children: ProcessRecord[], i: number): string {
  return `child ${i + 1} (pid ${children[i].pid})`;
}

test("a child killed by a signal is restarted", async () => {
  void hopeless(); // runs beside this one, for a later test
  const { r, killed } = await crashy();
  if (!killed) {
    fail(`The supervisor's first child runs flaky.sh, which sleeps until it is killed, but the harness never saw ` +
      `it: the supervisor ${describeEnd(r)}.`, { hint: "Start the command with spawn(command[0], command.slice(1))." });
  }
  const children = childrenOfSupervisor(r);
  const next = children.find((p) => p.pid !== killed.pid && p.startTicks >= children[0].startTicks);
  if (!next) {
    fail(`The harness killed the first child (pid ${killed.pid}) with SIGKILL at ${ms(killed.at)}, and the ` +
      `supervisor started no other: it ${describeEnd(r)}.`, {
      hint: "A child killed by a signal did not finish its work: it crashed. Its 'exit' event brings code null " +
        "and the signal's name (SIGKILL): restart it, as you would for a non-zero code. Only code 0 is a finish.",
    });
  }
});

test("a crashing child is restarted, one at a time, until it exits with code 0", async () => {
  const { r } = await crashy();
  const children = childrenOfSupervisor(r);
  const gaveUp = r.exitCode !== 0 && !r.timedOut && children.length < CRASHY.children;
  if (gaveUp) {
    const most = mostRestartsWithin(children, CRASHY.windowUnits * UNIT_MS);
    fail(`The supervisor gave up (it ${describeEnd(r)}) after ${children.length - 1} restarts, yet it was run with ` +
      `--max-restarts ${CRASHY.maxRestarts} --window-units ${CRASHY.windowUnits}, and no ${CRASHY.windowUnits} units ` +
      `held more than ${most} of those restarts.`, {
      hint: "Restart intensity counts the restarts within a sliding window: forget those older than the window " +
        "before you count. A child that crashes now and then, with long healthy runs between, is restarted for ever.",
    });
  }
  if (children.length !== CRASHY.children) {
    fail(`The child's plan makes it crash ${CRASHY.children - 1} times and then exit with code 0, so the supervisor ` +
      `should start ${CRASHY.children} children; the harness saw ${children.length}, and the supervisor ${describeEnd(r)}.`, {
      hint: "Restart the child after every crash, and stop when it exits with code 0.",
    });
  }
  assertInOrder(lives(children), {
    hint: "Start the next child only once the previous one has exited: wait for its 'exit' event, then the delay.",
  });
  assertFinished(r, { hint: "A child that exits with code 0 has done its work: the supervisor ends too, with code 0." });
  assertNothingLeft(r);
});

test("after each crash in a row the delay doubles: 1, 2, 4, 8 units", async () => {
  const { r } = await crashy();
  const children = childrenOfSupervisor(r);
  if (children.length <= CRASHY.stable) {
    fail(`The first ${CRASHY.stable + 1} children crash in a row, but the supervisor started only ` +
      `${children.length}: it ${describeEnd(r)}.`, { hint: BACKOFF_HINT });
  }
  for (let i = 0; i < CRASHY.stable; i++) {
    const delay = CRASHY.delays[i] * UNIT_MS;
    const { longest } = gap(children[i], children[i + 1]);
    if (longest >= delay - SLACK_MS) continue;
    fail(`${named(children, i + 1)} was started at most ${ms(longest)} after ${named(children, i)} ended. After ` +
      `${i + 1} crash${i === 0 ? "" : "es"} in a row the delay is ${CRASHY.delays[i]} unit${i === 0 ? "" : "s"} ` +
      `(${ms(delay)}): ${CRASHY.delays.slice(0, CRASHY.stable).join(", ")} units, each double the one before.`, {
      hint: BACKOFF_HINT,
      kind: "timing",
      intervals: lives(children.slice(0, CRASHY.stable + 1)),
    });
  }
});

test("a stable run resets the delay to 1 unit, and it doubles again from there", async () => {
  const { r } = await crashy();
  const children = childrenOfSupervisor(r);
  const s = CRASHY.stable;
  if (children.length <= s + 1) {
    fail(`Child ${s + 1} runs ${CRASHY.stableRunUnits} units before it crashes, but the supervisor started only ` +
      `${children.length} children: it ${describeEnd(r)}.`);
  }
  const { shortest } = gap(children[s], children[s + 1]);
  if (shortest >= RESET_BOUND_MS) {
    fail(`${named(children, s)} ran ${CRASHY.stableRunUnits} units before it crashed, longer than --stable-units ` +
      `${CRASHY.stableUnits}, yet ${named(children, s + 1)} was started at least ${ms(shortest)} after it ended: ` +
      `the delay went on doubling.`, {
      hint: "A child that ran stable for --stable-units was healthy: its crash is a new problem, not one more in " +
        "a row. Measure how long each child ran, and reset the delay to 1 unit after a stable run.",
      kind: "timing",
      intervals: lives(children),
    });
  }
  for (let i = s; i < CRASHY.delays.length && i + 1 < children.length; i++) {
    const delay = CRASHY.delays[i] * UNIT_MS;
    const { longest } = gap(children[i], children[i + 1]);
    if (longest >= delay - SLACK_MS) continue;
    fail(`${named(children, i + 1)} was started at most ${ms(longest)} after ${named(children, i)} ended; after ` +
      `the stable run the delays should be ${CRASHY.delays.slice(s).join(", ")} units.`, {
      hint: "After a stable run the back-off starts again at 1 unit, and doubles from there. A delay of 0 " +
        "doubles to 0 for ever: the child would be restarted at once, every time.",
      kind: "timing",
      intervals: lives(children.slice(s)),
    });
  }
});

test("after too many restarts within the window it gives up: exit code 1, nothing left behind", async () => {
  const r = await hopeless();
  const children = childrenOfSupervisor(r);
  const left = children.find((p) => outlived(r, p));
  if (left) {
    const i = children.indexOf(left);
    fail(`${named(children, i)} was still running after the supervisor had exited (its parents: ` +
      `${parentHistory(left)}): the supervisor started it, and then gave up and left it running.`, {
      hint: "Decide whether to give up when a child dies, before starting the next one: a supervisor that gives " +
        "up starts nothing more, and leaves no child behind.",
    });
  }
  const expected = HOPELESS.children;
  if (children.length !== expected) {
    const over = children.length === expected + 1;
    fail(`Every child crashes ${HOPELESS.crashUnits} units after it starts. With --max-restarts ` +
      `${HOPELESS.maxRestarts} the supervisor may restart it ${HOPELESS.maxRestarts} times, ${expected} children in ` +
      `all, and must give up at the next crash; it started ${children.length}, and ${describeEnd(r)}.`, {
      hint: over
        ? "One restart too many. Restart intensity: give up when the restarts already made within the window have " +
          "reached --max-restarts, not only once they exceed it."
        : children.length < expected
        ? "Restart the child after each crash until the restart intensity is reached."
        : "Restart intensity: count the restarts within the last --window-units, and give up when they reach " +
          "--max-restarts.",
    });
  }
  if (r.timedOut || r.exitCode === 0 || r.signal) {
    fail(`The supervisor gave up, as it should, but it ${describeEnd(r)}: expected exit code 1.`, {
      hint: "Give up with a non-zero exit code (process.exitCode = 1): whoever runs the supervisor (a shell, " +
        "systemd, another supervisor) learns of the failure from its exit code alone.",
    });
  }
  assertNothingLeft(r);
});

test.run();
