// Tests of kata 05: the workers' lines on the shared stdout tell who held the
// printer when; the observed tree tells which processes ran and which died.
import {
  aliveInterval,
  assertFinished,
  assertNothingLeft,
  assertOverlap,
  childrenOf,
  fail,
  kataSuite,
  ms,
  once,
} from "../../harness/mod.ts";
import { assertAllPrinted, clashMessage, LOCK_HINT, STALL_HINT, stallMessage } from "./_support/checks.ts";
import { firstClash, firstLonelyPreparation, firstOvertake, firstStall, printerEvents } from "./_support/printer.ts";
import { pauseSecondAsker, pollUntil, stopAll } from "./_support/running.ts";
import { killHolderRun } from "./_support/kill.ts";

const UNIT_MS = 200;
const { test, program } = kataSuite(import.meta.url, { unitMs: UNIT_MS, deadlineMs: 40_000 });

/**
 * main.ts spaces the requests one unit apart; two requests less than a unit apart
 * count as simultaneous, so that a worker slowed between printing "asks" and
 * sending its request cannot make a fair lock look unfair.
 */
const TIE_MS = UNIT_MS;
/** How long a worker may wait for a free printer: a lock hands it on in milliseconds. */
const STALL_MS = 5000;
/** Seeds of main.ts's shuffle: with 5, six workers ask in the order 6, 3, 5, 1, 2, 4. */
const SEED_TWO = "2";
const SEED_SIX = "5";

// The second worker to ask is paused while the printer is handed on (see pauseSecondAsker).
const sixWorkersRun = once(async () => {
  const running = program.start("main.ts", { args: ["6"], env: { KATA_SEED: SEED_SIX } });
  const pause = pauseSecondAsker(running, UNIT_MS);
  // A clash or an overtake is the verdict already: the run is then stopped, not waited for.
  const wrong = await pollUntil(running, () => {
    const events = printerEvents(running.lines);
    return firstClash(events) ?? firstOvertake(events, TIE_MS);
  });
  // Judged on the lines up to the verdict: killing the holder hands the printer on
  // once more, and that last "starts printing" is the harness's doing, not a clash.
  let judged: number | undefined;
  if (wrong !== undefined && wrong !== "late") {
    judged = running.lines.length;
    void stopAll(running);
  }
  const r = await running.result;
  return { r, pause: await pause, lines: r.lines.slice(0, judged) };
});
// Started beside the six workers' run (it watches itself), judged in its own test.
const killRun = once(() => killHolderRun(program));

test("only one worker prints at a time", async () => {
  // Two workers, watched while they run, so that a program without a lock fails
  // at its first clash, within a second or two of starting.
  const running = program.start("main.ts", {
    args: ["2"], unitMs: 100, deadlineMs: 30_000, env: { KATA_SEED: SEED_TWO },
  });
  const wrong = await pollUntil(running, () => {
    const events = printerEvents(running.lines);
    const clash = firstClash(events);
    if (clash) return { message: clashMessage(clash, running.lines), hint: LOCK_HINT };
    const stall = firstStall(events, running.now(), STALL_MS);
    if (stall) return { message: stallMessage(stall, STALL_MS), hint: STALL_HINT };
    return undefined;
  });
  if (wrong !== undefined && wrong !== "late") {
    // The verdict comes at once; the clean-up ends in the background, before the file does.
    void stopAll(running);
    fail(wrong.message, { hint: wrong.hint });
  }
  const r = await running.result;
  assertAllPrinted(r, 2);
  assertFinished(r);
  assertNothingLeft(r);
});

test("six workers take turns, in the order they asked for the printer", async () => {
  killRun().catch(() => {}); // judged in its own test
  const { r, pause, lines } = await sixWorkersRun();
  const events = printerEvents(lines);
  const clash = firstClash(events);
  if (clash) fail(clashMessage(clash, lines), { hint: LOCK_HINT });
  const overtake = firstOvertake(events, TIE_MS);
  if (overtake) {
    const { wronged, overtaker } = overtake;
    const paused = pause?.worker === wronged.asks.worker
      ? ` The harness had paused worker ${pause.worker} (SIGSTOP) from ${ms(pause.from)} to ${ms(pause.to)}, ` +
        "while it waited: its turn was still its own."
      : "";
    fail(
      `Worker ${wronged.asks.worker} asked for the printer at ${ms(wronged.asks.at)}, ` +
        `${ms(overtaker.asks.at - wronged.asks.at)} before worker ${overtaker.asks.worker}, ` +
        `but worker ${overtaker.asks.worker} got it first (at ${ms(overtaker.starts.at)}; worker ` +
        `${wronged.asks.worker} ${wronged.starts ? `at ${ms(wronged.starts.at)}` : "never"}).${paused}`,
      {
        hint: "A fair lock serves first come, first served: keep the waiting workers in a queue, " +
          "in the order their requests arrived, and hand the printer to the oldest one (not the newest, " +
          "not the lowest number). A lock that waiters grab by retrying (a lock file, a socket name) " +
          "goes to whoever retries first.",
      },
    );
  }
  assertAllPrinted(r, 6);
  assertFinished(r);
  assertNothingLeft(r);
});

test("the workers are processes that prepare their documents at the same time", async () => {
  const { r, lines } = await sixWorkersRun();
  const workers = childrenOf(r, r.pid).filter((p) => p.argv.some((a) => a.endsWith("worker.ts")));
  if (workers.length !== 6) {
    fail(`Expected main.ts to fork 6 worker processes, but the harness saw ${workers.length}.`);
  }
  assertOverlap(workers.map((p) => aliveInterval(p, `worker ${p.argv.at(-2)} (pid ${p.pid})`)), {
    hint: "Only the printing needs the lock. Starting each worker after the previous one ended " +
      "(join) makes them take turns too, but in a fixed order and with nothing done in parallel.",
  });
  const lonely = firstLonelyPreparation(printerEvents(lines), 6);
  if (lonely) {
    fail(
      `Expected the workers to prepare their documents side by side, but worker ${lonely.worker} ` +
        `prepared from ${ms(lonely.from)} to ${ms(lonely.to)} while no other worker was preparing.`,
      { hint: "Preparing happens outside the lock: take the printer after preparing, not before." },
    );
  }
});

test("a worker killed while it holds the printer does not stop the others", async () => {
  await killRun();
});

test.run();
