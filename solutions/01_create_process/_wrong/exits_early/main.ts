// Wrong on purpose: exits right after printing, orphaning both children.
import { fork, spawn } from "node:child_process";

const TASK = new URL("./task.ts", import.meta.url).pathname;
const forked = fork(TASK, ["forked"]);
const spawned = spawn(process.execPath, [...process.execArgv, TASK, "spawned"], { stdio: "inherit" });
console.log(`main: pid ${process.pid} started children ${forked.pid} and ${spawned.pid}`);
process.exit(0);
