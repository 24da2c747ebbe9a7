// Wrong on purpose: a lock file. Creating it with the "wx" flag fails while it
// exists, so one worker at a time holds it; but when it is removed, whoever
// retries first gets it (not first come, first served), and a holder killed
// before it removes the file leaves it there for ever (not crash-safe).
import type { ChildProcess } from "node:child_process";
import { closeSync, openSync, rmSync, unlinkSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

const LOCK = new URL("./printer.lock", import.meta.url).pathname;
const RETRY_MS = 5;

export function servePrinter(_workers: ChildProcess[]): void {
  rmSync(LOCK, { force: true }); // left over by an earlier run
}

export async function acquirePrinter(): Promise<void> {
  for (;;) {
    try {
      closeSync(openSync(LOCK, "wx"));
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    await sleep(RETRY_MS);
  }
}

export async function releasePrinter(): Promise<void> {
  unlinkSync(LOCK);
}
