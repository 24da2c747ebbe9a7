// Wrong on purpose: prints the parent's view without waiting for the worker.
import { fork } from "node:child_process";
import { state } from "./state.ts";

const WORKER = new URL("./worker.ts", import.meta.url).pathname;
state.counter = 10;
const settings = { owner: "parent", tags: ["shared?"] };
fork(WORKER).send(settings);
console.log(`parent ${process.pid}: counter=${state.counter} settings=${JSON.stringify(settings)}`);
