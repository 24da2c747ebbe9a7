// The worker of kata 03: receives an object from its parent, changes it and its
// own module-level counter, and prints what it sees.
import { state } from "./state.ts";

type Settings = { owner: string; tags: string[] };

process.once("message", (settings: Settings) => {
  console.log(`child ${process.pid}: counter at start=${state.counter}`);
  // TODO: add 1 to state.counter, set settings.owner to "child" and push the
  // tag "changed" onto settings.tags.
  console.log(`child ${process.pid}: counter=${state.counter} settings=${JSON.stringify(settings)}`);
  // The open IPC channel would keep this process alive: let go of it so it ends.
  process.channel?.unref();
});
