// Kills every run still in progress when the harness's own process ends or is
// interrupted: runs live in process groups of their own, so a Ctrl-C in the
// terminal does not reach them, and without this stopping the harness would
// leave its programs running. Other clean-ups (temp folders) ride along.
import { findMarked } from "./cleanup.ts";

/** Runs in progress in this process: their run ids, root pids and extra kills (their cgroups). */
const active = new Map<string, { pid: number; extra?: () => void }>();
/** Other clean-ups to do, synchronously, if this process ends or is interrupted. */
const exitCleanups = new Set<() => void>();
let installed = false;

/**
 * Notes a run in progress (its marker and root pid, and `extra`, a synchronous
 * kill of what markers may miss); the returned function forgets it.
 */
export function trackRun(marker: string, pid: number, extra?: () => void): () => void {
  install();
  active.set(marker, { pid, extra });
  return () => active.delete(marker);
}

/**
 * Has `cleanup` (synchronous) run if this process exits, or is ended by SIGINT,
 * SIGTERM or SIGHUP, before the returned function is called to cancel it: for
 * what a run leaves on disk, such as a temp folder.
 */
export function cleanUpOnExit(cleanup: () => void): () => void {
  install();
  exitCleanups.add(cleanup);
  return () => exitCleanups.delete(cleanup);
}

function kill(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Gone already.
  }
}

/** Kills every active run, synchronously, then does the other clean-ups. */
function killActiveRuns(): void {
  for (const [runId, { pid, extra }] of active) {
    kill(-pid);
    for (const p of findMarked(runId)) kill(p.pid);
    try {
      extra?.();
    } catch {
      // Best effort: the process is ending.
    }
  }
  active.clear();
  for (const cleanup of exitCleanups) {
    try {
      cleanup();
    } catch {
      // Best effort: the process is ending.
    }
  }
  exitCleanups.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", killActiveRuns);
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(sig, () => {
      killActiveRuns();
      // Die of the same signal, as if no handler had been installed.
      process.kill(process.pid, sig);
    });
  }
}
