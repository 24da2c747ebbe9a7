// CPU burners: busy Node processes that keep cores loaded while the suite runs,
// as a learner's busy machine or a shared CI runner would.
import { type ChildProcess, spawn } from "node:child_process";

// Spins, and every ~10 ms checks that its parent is still there, so that a soak
// killed by any signal, SIGKILL included, leaves no burner spinning.
const BURN = "const p = process.ppid; for (;;) { for (let i = 0; i < 1e7; i++); if (process.ppid !== p) process.exit(); }";

/** Burners running; `stop()` kills each by its pid. */
export interface Burners {
  count: number;
  stop(): void;
}

/** Starts `count` burners; they are killed on stop(), and end by themselves if this process dies. */
export function startBurners(count: number): Burners {
  const children: ChildProcess[] = [];
  for (let i = 0; i < count; i++) {
    children.push(spawn(process.execPath, ["-e", BURN], { stdio: "ignore" }));
  }
  const stop = () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  };
  process.on("exit", stop);
  return { count, stop };
}
