// Counting with processes: each child counts in its own memory, which no
// other process can see, and sends its count back as a message.
import { fork } from "node:child_process";

const CHILD = new URL("./child.ts", import.meta.url).pathname;

/** Forks `workers` children that each count to `each`; resolves with the sum of their counts once every child has ended. */
export function countWithProcesses(workers: number, each: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let total = 0;
    let ended = 0;
    // Every child is forked before any is waited for: they run side by side.
    for (let i = 0; i < workers; i++) {
      const child = fork(CHILD, [String(each)]);
      child.on("error", reject);
      // A child's count reaches this process only as a message: a copy, sent on purpose.
      child.on("message", (message: unknown) => {
        const count = (message as { count?: unknown } | null)?.count;
        if (typeof count === "number") total += count;
      });
      // Messages a child sent come before its "exit": the sum is complete at the last one.
      child.on("exit", () => {
        if (++ended === workers) resolve(total);
      });
    }
  });
}
