// Kata 17: a prefork server, the primary (reference solution).
//
// The echo server of kata 10 for many clients: instead of a process per
// client, WORKERS processes started up front (worker.ts, given), which share
// one listening socket and serve whoever the kernel hands them. This process,
// the primary, serves no client itself: it keeps WORKERS workers alive,
// restarts them on SIGHUP, and shuts down gently on SIGTERM.
import cluster, { type Worker } from "node:cluster";
import { once } from "node:events";

const WORKERS = 2;
const WORKER = new URL("./worker.ts", import.meta.url).pathname;

// SCHED_NONE: the primary opens the listening socket and hands it to every
// worker, and the kernel gives each new connection to one worker blocked in
// accept(). The default on Linux (SCHED_RR) keeps the socket in the primary,
// which accepts every connection and passes it on over IPC.
cluster.schedulingPolicy = cluster.SCHED_NONE;
cluster.setupPrimary({ exec: WORKER });

let stopping = false;
let restarting = false;
let announced = false;

function startWorker(): Worker {
  const worker = cluster.fork();
  // exitedAfterDisconnect is true only for a worker this process disconnected
  // (a restart, a shutdown): any other exit is a crash, and the pool must stay
  // at WORKERS. One listener per worker, on the worker itself.
  worker.on("exit", () => {
    if (!worker.exitedAfterDisconnect && !stopping) startWorker();
  });
  return worker;
}

/** A promise of the worker's exit that also holds if it has already exited. */
function exitOf(worker: Worker): Promise<unknown> {
  return worker.isDead() ? Promise.resolve() : once(worker, "exit");
}

cluster.on("listening", (_worker, address) => {
  if (announced) return;
  announced = true;
  console.log(`server: listening on 127.0.0.1 port ${address.port}`);
});

for (let i = 0; i < WORKERS; i++) startWorker();

process.on("SIGHUP", async () => {
  if (restarting || stopping) return;
  restarting = true;
  const old = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
  for (const worker of old) {
    if (stopping) break;
    // The new worker listens before the old one lets go, so the socket always
    // has a worker accepting on it and no client is ever refused.
    const fresh = startWorker();
    await Promise.race([once(fresh, "listening"), exitOf(fresh)]);
    // disconnect(), not kill(): the old worker stops accepting and finishes
    // the connections it has; its exit then frees its place.
    worker.disconnect();
    await exitOf(worker);
  }
  restarting = false;
  console.log(`server: restarted ${old.length} workers`);
});

process.on("SIGTERM", () => {
  // No new workers from here on. Each disconnected worker closes its server
  // (the listening socket is closed once the last one has) and ends when its
  // last client leaves; the primary then has nothing left and ends too.
  stopping = true;
  for (const worker of Object.values(cluster.workers ?? {})) worker?.disconnect();
});
