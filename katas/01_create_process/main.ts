// Kata 01: create processes.
//
// This program starts two child processes that each run task.ts, then prints
// its own line at once, without waiting for them:
//   - the first child is *forked*: fork() runs a Node module in a new process
//     and gives it the name "forked" as its argument;
//   - the second child is *spawned*: spawn() runs any command; here the command
//     is Node itself running task.ts with the name "spawned".
// Done when: `npm run kata -- run 01` passes. Run it by hand with
//   node --import tsx katas/01_create_process/main.ts
import { fork, spawn } from "node:child_process";

const TASK = new URL("./task.ts", import.meta.url).pathname;

// TODO: fork TASK with the argument "forked" and keep the child it returns.
const forked: { pid?: number } = {};

// TODO: spawn the command `node <loader flags> TASK spawned`. process.execPath is
// the node binary and process.execArgv holds the loader flags this program was
// started with; stdio "inherit" lets the child print to this program's stdout.
const spawned: { pid?: number } = {};

console.log(`main: pid ${process.pid} started children ${forked.pid} and ${spawned.pid}`);
