// Kata 04: a daemon child.
//
// This program starts two children, then does its own short work (own_work.ts,
// given):
//   - a daemon child (daemon.ts) that would stand by for many units. It serves
//     only this program, so it ends as soon as the program's own work ends,
//     and it never outlives the program, even one killed by SIGKILL;
//   - an ordinary child (worker.ts) that works for a few units. The program
//     does not exit before it has finished.
// Python's Process(daemon=True) and a plain Process behave this way.
// Done when: `npm run kata -- run 04` passes. Run it by hand with
//   node --import tsx katas/04_daemon/main.ts [units of own work | crash]
import { type ChildProcess, fork } from "node:child_process";
import { DAEMON, ownWork, WORKER } from "./own_work.ts";

// TODO: start the daemon child: fork DAEMON.
let daemon: ChildProcess | undefined;
// TODO: start the ordinary child: fork WORKER.
let worker: ChildProcess | undefined;

await ownWork({ daemon, worker });

// TODO: the program's own work is over. End the daemon child now, as Python
// does with its daemon children when the main program's code ends. Leave the
// ordinary child alone: the program must not exit before it has finished.
