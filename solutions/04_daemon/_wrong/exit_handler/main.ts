// Wrong on purpose: the program ends its daemon child from its own code only
// (after its work, in an 'exit' handler, on SIGTERM), and daemon.ts does not
// watch its parent. A program killed by SIGKILL runs none of that code, so the
// daemon lives on as an orphan.
import { type ChildProcess, fork } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
const OWN_WORK_UNITS = Number(process.argv[2] ?? 2);
const DAEMON = new URL("./daemon.ts", import.meta.url).pathname;
const WORKER = new URL("./worker.ts", import.meta.url).pathname;

function reportEnd(name: string, child: ChildProcess | undefined): void {
  child?.on("exit", (code, signal) => console.log(`main: ${name} ended with ${signal ?? `code ${code}`}`));
}

const daemon = fork(DAEMON);
const worker = fork(WORKER);
reportEnd("daemon", daemon);
reportEnd("worker", worker);
process.on("exit", () => daemon.kill());
process.on("SIGTERM", () => process.exit(143));

console.log(
  `main: pid ${process.pid} started daemon ${daemon.pid} and worker ${worker.pid}, ` +
    `working for ${OWN_WORK_UNITS} units`,
);
await sleep(OWN_WORK_UNITS * UNIT_MS);
console.log("main: own work done");
daemon.kill();
