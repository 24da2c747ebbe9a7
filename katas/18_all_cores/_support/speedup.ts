// The speed-up of kata 18, measured (not a test: a timed test fails on a busy
// machine). Runs the whole job in one worker process, then main.ts with its
// workers, RUNS times each in turn, and prints the medians, their ratio, and
// the machine's load, which the ratio depends on.
//
//   node --import tsx katas/18_all_cores/_support/speedup.ts [folder]
//
// The folder holds the program (main.ts and worker.ts); by default this kata's
// own, that is the learner's code.
import { fork, spawn } from "node:child_process";
import { once } from "node:events";
import { availableParallelism, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const LIMIT = 12_000_000;
const RUNS = 3;

const folder = resolve(process.argv[2] ?? dirname(dirname(fileURLToPath(import.meta.url))));

/** Wall time of the whole range counted in one worker process, from fork to exit, in ms. */
async function oneProcess(): Promise<number> {
  const start = performance.now();
  const worker = fork(join(folder, "worker.ts"));
  worker.send({ from: 2, to: LIMIT });
  await once(worker, "message");
  worker.disconnect();
  await once(worker, "exit");
  return performance.now() - start;
}

/** Wall time of main.ts, from spawn to exit, in ms; throws if it fails. */
async function allCores(): Promise<number> {
  const start = performance.now();
  const main = spawn(process.execPath, [...process.execArgv, join(folder, "main.ts")], { stdio: ["ignore", "ignore", "inherit"] });
  const [code] = await once(main, "exit");
  if (code !== 0) throw new Error(`main.ts exited with code ${code}`);
  return performance.now() - start;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const load = () => loadavg().map((x) => x.toFixed(1)).join(" ");
const loadBefore = load();
const one: number[] = [];
const all: number[] = [];
for (let i = 0; i < RUNS; i++) {
  one.push(await oneProcess());
  all.push(await allCores());
}
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(`cores (availableParallelism): ${availableParallelism()}`);
console.log(`one process:   ${one.map(s).join(", ")}  median ${s(median(one))}`);
console.log(`main.ts:       ${all.map(s).join(", ")}  median ${s(median(all))}`);
console.log(`speed-up:      ${(median(one) / median(all)).toFixed(2)}x (both include their processes' start-up)`);
console.log(`load average (1, 5, 15 min): before ${loadBefore}, after ${load()}`);
