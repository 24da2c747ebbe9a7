// The fork broker, in main.ts: it keeps every fork and hands each out over the
// philosophers' IPC channels. A "take" of a free fork is granted at once; of a
// held fork, it waits in that fork's queue, first come first served, until the
// holder puts it down (or its process ends). A "try" is answered at once,
// granted or busy. The deadlock report (reference solution) walks the wait-for
// graph from each philosopher that begins to wait.
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

  /**
   * The wait-for graph, walked from `p`: p waits for the holder of its fork,
   * who may wait for the holder of another, and so on. The philosophers met
   * on the way, p first, if the walk comes back to p; undefined if it ends at
   * a philosopher that waits for nothing (that one can eat, and the chain will
   * move). Each philosopher waits for one fork at most, so there is one path.
   */
  function cycleThrough(p: ChildProcess): ChildProcess[] | undefined {
    const path = [p];
    let fork = waitsFor.get(p);
    while (fork !== undefined) {
      const holder = holders.get(fork);
      if (holder === undefined) return undefined;
      if (holder === p) return path;
      // A cycle that does not pass through p closed earlier and was reported then.
      if (path.includes(holder)) return undefined;
      path.push(holder);
      fork = waitsFor.get(holder);
    }
    return undefined;
  }

  /** A philosopher as the report names it: its number and its process, which the broker knows as the child's pid. */
  function name(p: ChildProcess): string {
    return `philosopher ${philosophers.indexOf(p) + 1} (pid ${p.pid})`;
  }

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
        // p waits now. A cycle of waits, if one forms, forms at the request
        // that closes it, so checking from each new waiter finds every one, once.
        const cycle = cycleThrough(p);
        if (cycle) console.log(`deadlock: ${[...cycle, p].map(name).join(" waits for ")}`);
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
