// Kata 03: each process has memory of its own.
//
// The parent sets a module-level counter to 10, forks worker.ts, sends it an
// object, waits for it to end, then prints its own view of both. The worker
// changes its counter and the object it received and prints its view.
// Done when: `npm run kata -- run 03` passes. Run it by hand with
//   node --import tsx katas/03_isolated_memory/main.ts
import { fork } from "node:child_process";
import { state } from "./state.ts";

const WORKER = new URL("./worker.ts", import.meta.url).pathname;

state.counter = 10;
const settings = { owner: "parent", tags: ["shared?"] };

// TODO: fork WORKER, send it `settings` (child.send), and wait for its "exit"
// event before going on, so that the line below comes after the worker is done.

console.log(`parent ${process.pid}: counter=${state.counter} settings=${JSON.stringify(settings)}`);
