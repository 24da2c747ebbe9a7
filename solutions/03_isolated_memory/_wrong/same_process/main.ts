// Wrong on purpose: does the worker's changes in the parent's own process.
import { state } from "./state.ts";

state.counter = 10;
const settings = { owner: "parent", tags: ["shared?"] };
console.log(`child ${process.pid}: counter at start=${state.counter}`);
state.counter += 1;
settings.owner = "child";
settings.tags.push("changed");
console.log(`child ${process.pid}: counter=${state.counter} settings=${JSON.stringify(settings)}`);
console.log(`parent ${process.pid}: counter=${state.counter} settings=${JSON.stringify(settings)}`);
