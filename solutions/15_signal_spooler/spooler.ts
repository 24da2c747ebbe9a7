// Kata 15: a spooler woken by signals (reference solution).
//
//   spooler.ts <spool folder>
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

let draining = false;
let stopping = false;

/** Processes every job waiting, one at a time, until none is left or SIGTERM came. */
async function drain(): Promise<void> {
  // A wake-up during a drain needs no drain of its own: the one under way
  // reads the folder again after each job, and sees whatever arrived.
  if (draining) return;
  draining = true;
  let next: string | undefined;
  // Signals of one kind do not queue: twenty SIGUSR2 sent while this process
  // could not run arrive as one. So one wake-up takes everything waiting.
  while (!stopping && (next = pending()[0]) !== undefined) await processJob(next);
  draining = false;
  if (stopping) stop();
}

/** Ends the spooler once no job is in hand: with the timer gone, nothing keeps Node running. */
function stop(): void {
  clearInterval(keepAlive);
  console.log(`spooler: exiting, ${pending().length} jobs left waiting`);
}

// The handlers are in place before the spooler says it is ready: a SIGUSR2
// that came earlier would end it (the default action), a SIGTERM too.
process.on("SIGUSR2", () => void drain());
process.on("SIGTERM", () => {
  console.log("spooler: SIGTERM, finishing the job in hand");
  stopping = true;
  // In a drain, the drain stops after its job; idle, stop now.
  if (!draining) stop();
});
console.log(`spooler: ready, pid ${process.pid}`);

// Jobs dropped before the spooler ran had their signal lost: take them now.
void drain();
