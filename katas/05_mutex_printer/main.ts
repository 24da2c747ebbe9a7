// Kata 05: the mutex printer.
//
// Several workers (3, or the count given as the first argument) share one
// printer: this program's stdout. Each worker is a process of its own. All of
// them prepare a document at the same time, then ask for the printer one time
// unit apart, in a shuffled order; the one that holds it prints that it starts,
// keeps the printer for 2 time units and prints that it is done. This file and worker.ts are given
// complete: the lock that makes them take turns, in printer_lock.ts, is yours.
// Done when: `npm run kata -- run 05` passes. Run it by hand with
//   node --import tsx katas/05_mutex_printer/main.ts 3
import { type ChildProcess, fork } from "node:child_process";
import { servePrinter } from "./printer_lock.ts";

const WORKER = new URL("./worker.ts", import.meta.url).pathname;
/** Every worker prepares at least this long, in time units. */
const PREPARE_UNITS = 1;
/** Time between one worker's request for the printer and the next one's, in units. */
const ASK_GAP_UNITS = 1;
/** How long each worker keeps the printer, in units: longer than the gap, so that later workers queue up. */
const HOLD_UNITS = 2;

const count = Number(process.argv[2] ?? 3);
if (!Number.isInteger(count) || count < 1) {
  throw new RangeError(`Cannot start ${process.argv[2]} workers: give a whole number of at least 1`);
}

// A shuffled turn for each worker, so that the order in which they ask is
// neither the order they were started in nor the order of their numbers.
const turns = shuffle([...Array(count).keys()], seed());
const workers = turns.map((turn, i) =>
  fork(WORKER, [String(i + 1), String(PREPARE_UNITS + turn * ASK_GAP_UNITS), String(HOLD_UNITS)])
);
servePrinter(workers);

workers.forEach((worker, i) => {
  worker.on("exit", (code, signal) => {
    console.log(`main: worker ${i + 1} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}`);
    if (code !== 0) process.exitCode = 1;
  });
});

// The start signal goes out once every worker listens, so that all of them
// start preparing together however long each took to start. It carries the
// moment it was sent: each worker counts its preparation from there, not from
// when the signal happened to reach it.
await Promise.all(workers.map(readyOrGone));
const at = Date.now();
for (const worker of workers) if (worker.connected) worker.send({ kind: "go", at });

/** Resolves when the worker says it is ready, or when it has ended without saying so. */
function readyOrGone(worker: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      worker.off("message", onMessage);
      worker.off("exit", done);
      resolve();
    };
    const onMessage = (message: unknown) => {
      if ((message as { kind?: string } | null)?.kind === "ready") done();
    };
    worker.on("message", onMessage);
    worker.on("exit", done);
  });
}

/** KATA_SEED makes the shuffle repeatable (the tests set it); without it, each run draws its own. */
function seed(): number {
  const given = Number(process.env.KATA_SEED);
  return Number.isInteger(given) && given > 0 ? given : 1 + Math.floor(Math.random() * 2_000_000_000);
}

/** Shuffles `items` in place with a small generator (Park-Miller) started at `state`. */
function shuffle<T>(items: T[], state: number): T[] {
  const next = () => (state = (state * 48271) % 2147483647) / 2147483647;
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
