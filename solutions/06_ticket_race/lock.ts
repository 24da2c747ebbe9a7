// A lock shared by processes: the parent (main.ts) keeps it and the buyers ask
// for it over their IPC channel. Only one buyer holds it at a time; the others
// wait in the order they asked.
import type { ChildProcess } from "node:child_process";

/** What travels over the IPC channel: a buyer asks and gives back, the parent grants. */
interface LockMessage {
  type: "acquire" | "release" | "granted";
}

/** The parent's side: grants the lock to one buyer at a time, first come first served. */
export function serveLock(buyers: ChildProcess[]): void {
  const waiting: ChildProcess[] = [];
  let holder: ChildProcess | undefined;

  /** If the lock is free, grants it to the buyer that has waited longest. */
  function grantNext(): void {
    if (holder !== undefined) return;
    // A buyer that asked, then died before its turn, is dropped on the way.
    while (waiting.length > 0 && !waiting[0].connected) waiting.shift();
    holder = waiting.shift();
    // If it dies before this arrives, its "disconnect" below frees the lock again.
    holder?.send({ type: "granted" } satisfies LockMessage, () => {});
  }

  function forget(buyer: ChildProcess): void {
    const at = waiting.indexOf(buyer);
    if (at >= 0) waiting.splice(at, 1);
    if (holder !== buyer) return;
    holder = undefined;
    grantNext();
  }

  for (const buyer of buyers) {
    buyer.on("message", (m: LockMessage) => {
      if (m.type === "acquire") {
        waiting.push(buyer);
        grantNext();
      } else if (m.type === "release") {
        forget(buyer);
      }
    });
    // A buyer killed while it holds the lock never sends "release". Its channel
    // closes when it dies, whatever killed it, so that is where the lock is freed.
    buyer.on("disconnect", () => forget(buyer));
  }
}

/** The buyer's side: resolves once the parent has granted this process the lock. */
export function acquire(): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (m: LockMessage) => {
      if (m.type !== "granted") return;
      process.off("message", onMessage);
      resolve();
    };
    process.on("message", onMessage);
    process.send!({ type: "acquire" } satisfies LockMessage);
  });
}

/** The buyer's side: gives the lock back; resolves once the message is sent. */
export function release(): Promise<void> {
  return new Promise((resolve) => {
    process.send!({ type: "release" } satisfies LockMessage, () => resolve());
  });
}
