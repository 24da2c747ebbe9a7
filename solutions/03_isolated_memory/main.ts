// Kata 03: each process has memory of its own (reference solution).
//
// The parent sets a module-level counter to 10, forks worker.ts, sends it an
// object, waits for it to end, then prints its own view of both. The worker
// changes its counter and the object it received and prints its view.
import { fork } from "node:child_process";
import { once } from "node:events";
import { state } from "./state.ts";

const WORKER = new URL("./worker.ts", import.meta.url).pathname;

state.counter = 10;
const settings = { owner: "parent", tags: ["shared?"] };

// The child is a new program: it loads state.ts afresh (counter 0, not 10),
// and send() serialises `settings`, so the child gets a copy, not a reference.
const child = fork(WORKER);
child.send(settings);
// Wait for the end, so that what we print below comes after all of the
// child's changes: if they could reach us, they would have by now.
await once(child, "exit");

console.log(`parent ${process.pid}: counter=${state.counter} settings=${JSON.stringify(settings)}`);
