// Kata 18: all the cores.
//
// Counts the primes below LIMIT, a job of a couple of seconds of pure CPU
// work. One process runs on one core at a time, however many the machine
// has; to use them all, split the range into one part per core, give each
// part to a worker process of its own (worker.ts, given), and add up the
// counts they send back.
// Done when `npm run kata -- run 18` passes. Run it by hand with
//   node --import tsx katas/18_all_cores/main.ts
// and watch `top` while it runs: each worker near 100% of a core.
import { fork } from "node:child_process";
import { availableParallelism } from "node:os";
import type { Count, Range } from "./worker.ts";

const LIMIT = 12_000_000;
const WORKER = new URL("./worker.ts", import.meta.url).pathname;

// TODO: fork one worker per core (availableParallelism(): the cores this
// process may use), all of them before waiting for any, and send each one
// part of [2, LIMIT) as a Range. Together the parts cover every number once.

// TODO: wait for every worker's Count (its "message"), add them up, and let
// each worker go once it has answered (disconnect it: a worker stays alive as
// long as its IPC channel is open).

// TODO: print `main: <total> primes below ${LIMIT}, counted by <n> workers`.
void fork;
void availableParallelism;
void WORKER;
