// How long a child takes to start on this Node: from spawn() to the exit of a
// program that only prints a line, one child at a time, median of a few.
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { nodeArgsFor } from "../_loader.ts";
import { median } from "../_stats.ts";

/** Children timed for each median. */
export const CHILD_START_RUNS = 11;

const PROGRAM = new URL("../fixtures/exit_code.ts", import.meta.url).pathname;

function timeOne(args: string[]): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { stdio: "ignore" });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(performance.now() - t0) : reject(new Error(`${args.join(" ")} exited with ${code}`))
    );
  });
}

/** Median ms to start and end a TypeScript program through the harness's loader, and a bare `node -e`. */
export async function childStart(runs = CHILD_START_RUNS): Promise<{ typescript: number; bare: number }> {
  const ts: number[] = [];
  const bare: number[] = [];
  // Interleaved, so that a burst of load elsewhere hits both alike.
  for (let i = 0; i < runs; i++) {
    ts.push(await timeOne(nodeArgsFor(PROGRAM)));
    bare.push(await timeOne(["-e", "0"]));
  }
  return { typescript: median(ts), bare: median(bare) };
}
