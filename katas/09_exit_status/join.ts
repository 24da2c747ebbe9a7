// Kata 09: join(), given complete. It waits on the "exit" event, and asks your
// isAlive() (status.ts) first, because a child that has already ended will
// never fire "exit" again.
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { isAlive } from "./status.ts";

/** Waits until the child is no longer alive (true), or `timeoutMs` passed first (false). */
export async function join(child: ChildProcess, timeoutMs?: number): Promise<boolean> {
  if (!isAlive(child)) return true;
  // The timeout stops the waiting, never the child.
  const signal = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
  try {
    await once(child, "exit", { signal });
    return true;
  } catch (err) {
    if (signal?.aborted) return false;
    throw err;
  }
}
