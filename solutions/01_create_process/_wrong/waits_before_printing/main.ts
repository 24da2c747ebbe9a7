// Wrong on purpose: waits for both children to end before printing its line.
import { fork, spawn } from "node:child_process";
import { once } from "node:events";

const TASK = new URL("./task.ts", import.meta.url).pathname;
const forked = fork(TASK, ["forked"]);
const spawned = spawn(process.execPath, [...process.execArgv, TASK, "spawned"], { stdio: "inherit" });
await Promise.all([once(forked, "exit"), once(spawned, "exit")]);
console.log(`main: pid ${process.pid} started children ${forked.pid} and ${spawned.pid}`);
