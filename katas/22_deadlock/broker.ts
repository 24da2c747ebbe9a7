// The fork broker, in main.ts: it keeps every fork and hands each out over the
// philosophers' IPC channels. A "take" of a free fork is granted at once; of a
// held fork, it waits in that fork's queue, first come first served, until the
// holder puts it down (or its process ends). A "try" is answered at once,
// granted or busy. Given, except the deadlock report at the TODO.
import type { ChildProcess } from "node:child_process";
import { type ForkAnswer, isForkRequest } from "./table.ts";

/** In main.ts: serves the forks to `philosophers` (philosopher i+1 is philosophers[i]). */
export function serveForks(philosophers: ChildProcess[]): void {
  /** Who holds each fork. */
  const holders = new Map<number, ChildProcess>();
  /** Who waits for each fork, in the order they asked. */
  const queues = new Map<number, ChildProcess[]>();
  /** The fork each waiting philosopher waits for. */
  const waitsFor = new Map<ChildProcess, number>();

  function grant(p: ChildProcess, n: number): void {
    holders.set(n, p);
    waitsFor.delete(p);
    answer(p, { fork: "granted", n });
  }

  function release(n: number): void {
    holders.delete(n);
    const queue = queues.get(n) ?? [];
    const next = queue.shift();
    if (next) grant(next, n);
  }

  for (const p of philosophers) {
    p.on("message", (message: unknown) => {
      if (!isForkRequest(message)) return;
      const { n } = message;
      if (message.fork === "put") {
        if (holders.get(n) === p) release(n);
      } else if (!holders.has(n)) {
        grant(p, n);
      } else if (message.fork === "try") {
        answer(p, { fork: "busy", n });
      } else {
        queues.set(n, [...(queues.get(n) ?? []), p]);
        waitsFor.set(p, n);
        // TODO: p now waits for the holder of fork n. If that closes a cycle
        // (p waits for q, who waits for r, ..., who waits for p), print it as
        // one line, each philosopher named by its number and its process:
        //   deadlock: philosopher 1 (pid 4101) waits for philosopher 3 (pid 4103) waits for ... waits for philosopher 1 (pid 4101)
        // A philosopher's number is its index in `philosophers` plus one.
      }
    });
    // A philosopher that ends (however it ends) gives back what it held and stops waiting.
    p.on("exit", () => {
      waitsFor.delete(p);
      for (const [n, queue] of queues) queues.set(n, queue.filter((q) => q !== p));
      for (const [n, holder] of holders) if (holder === p) release(n);
    });
  }
}

function answer(p: ChildProcess, message: ForkAnswer): void {
  if (p.connected) p.send(message);
}
