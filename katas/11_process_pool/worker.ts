// Kata 11: a worker of the pool (given complete).
//
// Says it is ready once loaded, then takes tasks over IPC, one message each:
// says when it starts one, works for the task's units of time, says it is done
// and sends back a Done. It serves as many tasks as it is given, and ends when
// the pool disconnects from it.
import type { Done, Task } from "./task.ts";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);

console.log(`worker ${process.pid}: ready`);

process.on("message", (task: Task) => {
  console.log(`worker ${process.pid}: task ${task.id} started`);
  setTimeout(() => {
    const done: Done = { id: task.id, pid: process.pid, result: task.id * task.id };
    console.log(`worker ${process.pid}: task ${task.id} done`);
    process.send?.(done);
  }, task.units * UNIT_MS);
});
