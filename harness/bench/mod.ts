// The benchmark: for each kata, how long its tests take against the solution
// beside the sleeps they must wait (the floor); how long a child takes to start
// on this Node; how long the whole suite takes, how much CPU it used and on how
// many workers; and the mutation score of its mistakes. Numbers, not pass/fail.
//
//   npm run bench [-- --kata N ...] [--no-suite] [--workers N]
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { allKatas, findKata, type Kata } from "../katas.ts";
import { loaderName } from "../_loader.ts";
import { runTestFile, type TestFileResult } from "../test_file.ts";
import { childStart, CHILD_START_RUNS } from "./_child_start.ts";
import { OBSERVED_CHILDREN, observerCost } from "./_observer_cost.ts";
import { MIN_SLEEP_MS, readSleeps, recorderNodeOptions, SLEEP_LOG_VAR, sleepFloor } from "./_sleeps.ts";
import { type CheckReport, seconds } from "../check/items.ts";
import { workerCount, WORKERS_VAR } from "../check/_pool.ts";
import { scoreLines } from "./_score.ts";
import { runSuite, type SuiteResult } from "./_suite.ts";
import { parseCommandLine } from "../command_line.ts";

const USAGE = "usage: npm run bench -- [--kata N ...] [--no-suite] [--workers N]";

const COLUMNS = ["kata", "tests", "wall ms", "floor ms", "wall/floor"];
const WIDTHS = [28, 6, 9, 9, 11];

function row(cells: (string | number)[]): string {
  return cells.map((c, i) => i === 0 ? String(c).padEnd(WIDTHS[i]) : String(c).padStart(WIDTHS[i])).join("");
}

/** Calls `fn` with extra variables in process.env: a run copies the environment when it spawns, synchronously. */
function withEnv<T>(env: Record<string, string>, fn: () => T): T {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/**
 * The floor of one test file, from a second run with every process recording
 * its sleeps; undefined when that run failed (a deadline that fired is no floor).
 */
async function floorOf(file: string): Promise<number | undefined> {
  const dir = mkdtempSync(join(tmpdir(), "kata-bench-"));
  const log = join(dir, "sleeps.jsonl");
  try {
    // A separate run, because loading the recorder slows every process down.
    const env = { NODE_OPTIONS: recorderNodeOptions(), [SLEEP_LOG_VAR]: log };
    const r = await withEnv(env, () => runTestFile(file, { target: "solution" }));
    return r.passed ? sleepFloor(readSleeps(log)) : undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchKata(k: Kata): Promise<string> {
  let wall = 0;
  let floor: number | undefined = 0;
  const runs: TestFileResult[] = [];
  for (const file of k.testFiles) {
    const r = await runTestFile(file, { target: "solution" });
    runs.push(r);
    wall += r.run.durationMs;
    const f = await floorOf(file);
    floor = f === undefined || floor === undefined ? undefined : floor + f;
  }
  const tests = runs.reduce((n, r) => n + r.reports.length, 0);
  const failed = runs.some((r) => !r.passed) || floor === undefined ? " (tests failed)" : "";
  const ratio = floor ? (wall / floor).toFixed(1) : "-";
  return row([k.dir, tests, Math.round(wall), floor === undefined ? "?" : Math.round(floor), ratio]) + failed;
}

async function main(): Promise<void> {
  const { values } = parseCommandLine(USAGE, {
    options: { kata: { type: "string", multiple: true }, "no-suite": { type: "boolean" }, workers: { type: "string" } },
  });
  const katas = (values.kata ? values.kata.map((n) => findKata(n)) : allKatas())
    .filter((k) => k.testFiles.length > 0);
  console.log(
    `bench: node ${process.version} (${loaderName()}), ${availableParallelism()} cores, ` +
      `load ${loadavg()[0].toFixed(2)} at the start (times are noisy on a shared machine)`,
  );
  console.log(
    `floor: the longest total of sleeps (timers of ${MIN_SLEEP_MS} ms or more that fired in the ` +
      `test process or the programs) that followed one another; overlapping sleeps count once\n`,
  );
  console.log(row(COLUMNS));
  for (const k of katas) console.log(await benchKata(k));

  const start = await childStart();
  console.log(
    `\nmedian child start (spawn to exit, ${CHILD_START_RUNS} runs): ` +
      `${Math.round(start.typescript)} ms for a .ts program (${loaderName()}), ` +
      `${Math.round(start.bare)} ms for \`node -e 0\``,
  );
  const cost = await observerCost();
  console.log(
    `observing a run: ${Math.round(cost.cpuUsPerSample)} µs of CPU a sample (${Math.round(cost.systemUsPerSample)} µs ` +
      `in the kernel), ${cost.samples} samples of a shell and its ${OBSERVED_CHILDREN} children, ` +
      `${cost.onMachine} processes on the machine${cost.cgroup ? "" : " (no cgroup: all of /proc listed in each sample)"}`,
  );
  if (values["no-suite"]) return;
  // The suite's worker count, to compare counts on one machine (the check's default otherwise).
  const env: Record<string, string> = values.workers === undefined ? {} : { [WORKERS_VAR]: String(workerCount(values.workers)) };
  const suite = await runSuite({ katas: values.kata, report: true, env });
  for (const line of suiteLines(suite)) console.log(line);
}

/** The suite's time, CPU and workers, then the mutation score of its mistakes. */
function suiteLines(suite: SuiteResult): string[] {
  const verdict = suite.passed === undefined
    ? `it crashed (exit code ${suite.exitCode})`
    : `${suite.passed} items passed, ${suite.failed} failed`;
  const r = suite.report;
  const cores = availableParallelism();
  const cost = !r
    ? ""
    : r.cpuMs === undefined
    ? `, ${r.workers} workers (no /proc: CPU unknown)`
    : `, ${seconds(r.cpuMs)} of CPU on ${r.workers} workers: ${(r.cpuMs / r.wallMs).toFixed(2)} of ` +
      `${cores} cores busy on average (${Math.round((100 * r.cpuMs) / (r.wallMs * cores))}% of the machine)`;
  return [
    `\nwhole suite (check --self): ${seconds(suite.durationMs)} wall${cost}; ${verdict}; ` +
      `load ${loadavg()[0].toFixed(2)} at the end`,
    ...(r ? cpuLines(r) : []),
    ...(r && r.mistakes.length > 0 ? ["", ...scoreLines(r.mistakes)] : []),
  ];
}

const COSTLIEST = 8;

/** Where the suite's CPU went, from each test run's cgroup: by kind of item, then the costliest runs. */
export function cpuLines(r: CheckReport): string[] {
  const kinds = new Map<string, number>();
  const costs: { name: string; cpuMs: number }[] = [];
  for (const item of r.items) {
    if (item.cpuMs === undefined) continue;
    kinds.set(item.kind, (kinds.get(item.kind) ?? 0) + item.cpuMs);
    if (item.kind !== "mistakes") costs.push({ name: item.name, cpuMs: item.cpuMs });
  }
  for (const m of r.mistakes) if (m.cpuMs !== undefined) costs.push({ name: `${m.kata} mistake ${m.mistake}`, cpuMs: m.cpuMs });
  if (costs.length === 0) return [];
  const byKind = [...kinds].map(([kind, ms]) => `${kind} ${seconds(ms)}`).join(", ");
  const top = costs.sort((a, b) => b.cpuMs - a.cpuMs).slice(0, COSTLIEST)
    .map((c) => `  ${seconds(c.cpuMs).padStart(8)}  ${c.name}`);
  return [`CPU of the test runs (their cgroups): ${byKind}; the costliest:`, ...top];
}

await main();
