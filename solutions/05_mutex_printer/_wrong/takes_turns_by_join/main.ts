// Wrong on purpose: takes turns by join, like the second version in seed 003:
// each worker is started only after the previous one has ended. Nobody prints
// over anybody, but the order is fixed in advance and no two workers ever
// prepare at the same time: the lock has nothing left to do.
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { servePrinter } from "./printer_lock.ts";

const WORKER = new URL("./worker.ts", import.meta.url).pathname;
const count = Number(process.argv[2] ?? 3);

for (let id = 1; id <= count; id++) {
  const worker = fork(WORKER, [String(id), "1"]);
  servePrinter([worker]);
  const ended = once(worker, "exit");
  await ready(worker);
  worker.send({ kind: "go" });
  const [code, signal] = await ended;
  console.log(`main: worker ${id} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}`);
}

function ready(worker: ChildProcess): Promise<unknown> {
  return new Promise((resolve) => {
    worker.on("message", (m: unknown) => {
      if ((m as { kind?: string } | null)?.kind === "ready") resolve(m);
    });
    worker.on("exit", resolve);
  });
}
