// A worker: a process of its own that does its phases one after another, each
// phase's work a child process (`sleep`), and waits at the barrier between
// phases. It is given complete; the barrier it uses, in barrier.ts, is yours.
//
// It needs the IPC channel of main.ts, which forks it: run main.ts, not this.
import { spawn } from "node:child_process";
import { BrokenBarrierError, waitAtBarrier } from "./barrier.ts";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
const id = process.argv[2] ?? "?";
const units = (process.argv[3] ?? "1").split(",").map(Number);
/** Exit code of a worker that gave up because the barrier broke. */
const GAVE_UP = 3;

if (!process.send) throw new TypeError("Cannot run worker.ts alone: run main.ts, which forks it with an IPC channel");
const goAt = await startSignal();

try {
  for (let phase = 1; phase <= units.length; phase++) {
    if (phase > 1) {
      console.log(`worker ${id}: waits at the barrier`);
      await waitAtBarrier();
    }
    console.log(`worker ${id}: phase ${phase}`);
    // Phase 1 ends a fixed time after the start signal, so that the workers' phase 1 overlap.
    const ms = phase === 1 ? goAt + units[0] * UNIT_MS - Date.now() : units[phase - 1] * UNIT_MS;
    await work(phase, Math.max(0, ms));
  }
  console.log(`worker ${id}: done`);
} catch (err) {
  if (!(err instanceof BrokenBarrierError)) throw err;
  console.log(`worker ${id}: gave up: ${err.message}`);
  process.exitCode = GAVE_UP;
}
// Closing the channel to main lets this process end even if a listener is left on it.
process.disconnect();

/** One phase's work: a child process that sleeps `ms`, named after its phase (`sh -c ... phase-2`). */
function work(phase: number, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const job = spawn("sh", ["-c", 'sleep "$1"; :', `phase-${phase}`, String(ms / 1000)], { stdio: "inherit" });
    job.on("error", reject);
    job.on("exit", () => resolve());
  });
}

/** Says it is ready, then waits for main's { kind: "go", at }; resolves with `at` (ms since the epoch). */
function startSignal(): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      const go = message as { kind?: string; at?: number } | null;
      if (go?.kind !== "go") return;
      process.off("message", onMessage);
      resolve(go.at ?? Date.now());
    };
    process.on("message", onMessage);
    process.send!({ kind: "ready" });
  });
}
