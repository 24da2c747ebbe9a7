// A lock shared by processes: the parent (main.ts) keeps it and the buyers ask
// for it over their IPC channel (fork() gives each buyer one: process.send() in
// the buyer, child.send() and child.on("message") in the parent). Only one buyer
// may hold it at a time; the others wait for their turn.
//
// As given, nobody waits: acquire() returns at once. Done when the tests of
// `npm run kata -- run 06` pass.
import type { ChildProcess } from "node:child_process";

/** What travels over the IPC channel: a buyer asks and gives back, the parent grants. */
interface LockMessage {
  type: "acquire" | "release" | "granted";
}

/** The parent's side: grants the lock to one buyer at a time. */
export function serveLock(buyers: ChildProcess[]): void {
  // TODO: listen to each buyer's messages. On "acquire", queue the buyer and
  // send it { type: "granted" } when the lock is free; on "release", free the
  // lock and grant it to the next in the queue.
  // TODO: a buyer killed while it holds the lock never sends "release". Free the
  // lock when a buyer is gone, whatever ended it (which event of a ChildProcess
  // tells you its channel closed?), and never grant it to a buyer that is gone.
  void buyers;
}

/** The buyer's side: resolves once the parent has granted this process the lock. */
export async function acquire(): Promise<void> {
  // TODO: send { type: "acquire" } to the parent and resolve when its
  // { type: "granted" } arrives; then stop listening, or the listener you left
  // behind would also fire on this buyer's later grants.
}

/** The buyer's side: gives the lock back; resolves once the message is sent. */
export async function release(): Promise<void> {
  // TODO: send { type: "release" } and resolve in the send's callback.
}
