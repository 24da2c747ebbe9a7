// The crash test: the harness SIGKILLs the worker that holds the printer and
// watches whether the printer ever goes to anyone else.
import { assertNothingLeft, fail, type KataProgram, ms, stderrTail } from "../../../harness/mod.ts";
import { assertAllPrinted, clashMessage, LOCK_HINT } from "./checks.ts";
import { firstClash, printerEvents } from "./printer.ts";
import { pollUntil, stopAll, workerProcess } from "./running.ts";

const WORKERS = 4;
/** Long enough that the harness surely kills the holder before it is done (a hold lasts 2 units). */
const UNIT_MS = 400;
/** main.ts's shuffle, fixed so that every run asks in one order. */
const SEED = "3";
/**
 * How soon after the kill (or after the next worker asked, if later) another
 * worker must get the printer. The parent hears of a child's death within
 * milliseconds; a lock that waits for a stale timeout of seconds does not pass.
 */
export const RECOVERY_BOUND_MS = 1500;

const CRASH_HINT = "A killed process runs no more code: no release, no 'exit' handler, no finally. " +
  "Something that outlives the holder must notice its death and free the printer: the parent " +
  "gets an 'exit' event for every child it forked, however the child ended.";

/** Runs 4 workers, kills the second one to get the printer while it prints, and judges the rest. */
export async function killHolderRun(program: KataProgram): Promise<void> {
  const running = program.start("main.ts", {
    args: [String(WORKERS)], unitMs: UNIT_MS, deadlineMs: 30_000, env: { KATA_SEED: SEED },
  });
  const starts = () => printerEvents(running.lines).filter((e) => e.step === "starts");
  const victim = await pollUntil(running, () => starts()[1]);
  if (victim === undefined || victim === "late") {
    assertAllPrinted(await running.result, WORKERS);
    return fail("Two workers should have started printing, but they did not.");
  }
  const early = firstClash(printerEvents(running.lines));
  if (early) {
    const message = clashMessage(early, running.lines);
    await stopAll(running);
    fail(message, { hint: LOCK_HINT });
  }
  const victimProcess = workerProcess(running, victim.worker);
  if (!victimProcess) {
    await stopAll(running);
    return fail(`Worker ${victim.worker} started printing, but the harness found no process running worker.ts ${victim.worker}.`);
  }
  const killedAt = running.now();
  try {
    process.kill(victimProcess.pid, "SIGKILL");
  } catch {
    // Already gone: the checks below say so.
  }

  // The next worker to print must come soon after the kill, or soon after it asked if it asked later.
  let waiting: { worker: string; at: number } | undefined;
  const next = await pollUntil(
    running,
    () => starts().find((e) => e.index > victim.index),
    () => {
      const events = printerEvents(running.lines);
      waiting = events.find((e) =>
        e.step === "asks" && e.worker !== victim.worker &&
        !events.some((s) => s.step === "starts" && s.worker === e.worker)
      );
      return waiting ? Math.max(killedAt, waiting.at) + RECOVERY_BOUND_MS : Infinity;
    },
  );
  if (next === "late") {
    await stopAll(running);
    fail(
      `The harness killed worker ${victim.worker} (pid ${victimProcess.pid}) with SIGKILL at ${ms(killedAt)}, ` +
        `while it held the printer. Worker ${waiting!.worker} had asked for the printer at ` +
        `${ms(waiting!.at)}, yet no worker got it within ${RECOVERY_BOUND_MS} ms: the printer stayed ` +
        `locked by a dead worker.`,
      { hint: CRASH_HINT },
    );
  }

  const r = await running.result;
  const events = printerEvents(r.lines);
  if (events.some((e) => e.worker === victim.worker && e.step === "done")) {
    fail(`The harness meant to kill worker ${victim.worker} while it printed, but it had finished first; ` +
      `the test could not judge this run (the machine may be overloaded).`);
  }
  const survivors = [...Array(WORKERS).keys()].map((i) => String(i + 1)).filter((id) => id !== victim.worker);
  assertAllPrinted(r, survivors);
  const clash = firstClash(events.filter((e) => e.worker !== victim.worker));
  if (clash) fail(clashMessage(clash, r.lines), { hint: LOCK_HINT });
  if (r.timedOut || r.signal) {
    fail(`With worker ${victim.worker} killed, main.ts should still end by itself once the others are done, ` +
      `but it ${r.timedOut ? `was still running at its ${r.deadlineMs} ms deadline` : `was killed by ${r.signal}`}.`);
  }
  const tail = stderrTail(r);
  if (tail) fail(`With worker ${victim.worker} killed, main.ts printed this on stderr:\n${tail}`, { hint: CRASH_HINT });
  assertNothingLeft(r);
}
