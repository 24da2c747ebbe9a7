// Kata 15: a spooler woken by signals.
//
//   spooler.ts <spool folder>
//
// Jobs are files in <spool>/incoming/, each holding {"units": N}. Whoever drops
// a job there sends the spooler SIGUSR2 to wake it. The spooler works on the
// jobs one at a time, in name order, and moves each to <spool>/done/ when it is
// finished. On SIGTERM it finishes the job in hand, starts no other, and exits
// with code 0: the jobs it did not reach stay in incoming/ for next time.
// Done when: `npm run kata -- run 15` passes. Try it by hand (see the README).
import { mkdirSync, readdirSync, readFileSync, renameSync } from "node:fs";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);

const spool = process.argv[2];
if (!spool) {
  console.error("Usage: spooler.ts <spool folder>");
  process.exit(2);
}
const incoming = join(resolve(spool), "incoming");
const done = join(resolve(spool), "done");
const failed = join(resolve(spool), "failed");
for (const dir of [incoming, done, failed]) mkdirSync(dir, { recursive: true });

/** The jobs waiting, in name order (names starting with "." are files still being written). */
function pending(): string[] {
  return readdirSync(incoming).filter((name) => !name.startsWith(".")).sort();
}

/** Works on one job for its units of time, then moves it to done/ (a job it cannot read, to failed/). */
async function processJob(name: string): Promise<void> {
  let units: number;
  try {
    units = (JSON.parse(readFileSync(join(incoming, name), "utf8")) as { units: number }).units;
    if (!(units >= 0)) throw new RangeError(`"units" must be a number >= 0, not ${units}`);
  } catch (err) {
    const why = (err as Error).message.replace(/\s+/g, " ").trim();
    console.log(`spooler: cannot read job ${name} (${why}): moved to failed/`);
    renameSync(join(incoming, name), join(failed, name));
    return;
  }
  console.log(`spooler: working on ${name}`);
  await sleep(units * UNIT_MS);
  renameSync(join(incoming, name), join(done, name));
  console.log(`spooler: done ${name}`);
}

// A signal listener does not keep Node running; this timer does, until it is cleared.
const keepAlive = setInterval(() => {}, 1 << 30);

/** Processes every job waiting, one at a time, until none is left or SIGTERM came. */
async function drain(): Promise<void> {
  // TODO: work on the waiting jobs one at a time (pending(), processJob()), and
  // go on until none is left: signals of one kind do not queue, so twenty
  // SIGUSR2 sent while the spooler could not run arrive as one wake-up.
  // TODO: a wake-up while a drain is under way must not start a second drain
  // beside it (two drains would work on the same job); yet a job that arrived
  // during the drain must not be left waiting.
  // TODO: after SIGTERM, start no new job; once the job in hand is done, stop().
  void processJob;
}

/** Ends the spooler once no job is in hand. */
function stop(): void {
  // TODO: let the process end: a listener does not keep Node running, but
  // keepAlive does. Print `spooler: exiting, <n> jobs left waiting` first.
  void keepAlive;
}

// TODO: before saying it is ready, handle SIGUSR2 (wake up: drain) and SIGTERM
// (print "spooler: SIGTERM, finishing the job in hand"; finish the job in hand,
// start no other, then stop(); idle, stop at once). Without a handler, either
// signal ends the process at once.
console.log(`spooler: ready, pid ${process.pid}`);

// TODO: jobs dropped before the spooler ran had their signal lost: take them now.
