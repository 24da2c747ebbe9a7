// Kata 01: create processes (reference solution).
//
// This program starts two child processes that each run task.ts, then prints
// its own line at once, without waiting for them.
import { fork, spawn } from "node:child_process";

const TASK = new URL("./task.ts", import.meta.url).pathname;

// fork() starts a new Node process running TASK. The child inherits this
// process's execArgv, so on Node 20 it gets the same TypeScript loader.
const forked = fork(TASK, ["forked"]);

// spawn() runs any command. Here the command is Node again, given the loader
// flags by hand, because spawn() passes nothing on by itself.
const spawned = spawn(process.execPath, [...process.execArgv, TASK, "spawned"], {
  stdio: "inherit",
});

// Starting a child does not wait for it: this line comes out while both run.
// Node will not exit while a child it started is still running (each child
// handle keeps the event loop alive), so the program outlives its children.
console.log(`main: pid ${process.pid} started children ${forked.pid} and ${spawned.pid}`);
