// The worker of kata 03: receives an object from its parent, changes it and its
// own module-level counter, and prints what it sees (reference solution).
import { state } from "./state.ts";

type Settings = { owner: string; tags: string[] };

process.once("message", (settings: Settings) => {
  console.log(`child ${process.pid}: counter at start=${state.counter}`);
  // Both changes land in this process's memory only: `state` is this
  // process's module, `settings` a copy made when the message arrived.
  state.counter += 1;
  settings.owner = "child";
  settings.tags.push("changed");
  console.log(`child ${process.pid}: counter=${state.counter} settings=${JSON.stringify(settings)}`);
  // The open IPC channel would keep this process alive: let go of it so it ends.
  process.channel?.unref();
});
