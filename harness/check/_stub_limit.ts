// How fast a stub must fail: within STUB_FAIL_LIMIT_MS on a machine that starts
// a TypeScript child as fast as the reference does, and proportionally longer
// on a machine that starts one more slowly, and again when the check's own
// load slows start-ups down beside the stub, so that the limit judges the
// kata, not the machine or the moment.
import { join } from "node:path";
import { loaderName } from "../_loader.ts";
import { median } from "../_stats.ts";
import { ROOT } from "../katas.ts";
import { run } from "../run.ts";

/** A stub must fail a test within this many ms of its first test starting, at the reference start-up. */
export const STUB_FAIL_LIMIT_MS = 2000;
/**
 * Start-up of a TypeScript child (to its first line) that STUB_FAIL_LIMIT_MS
 * is set for, idle: Node 20 through tsx; Node 26 stripping types itself,
 * without the compile cache (which cuts it to a third, but is off under coverage).
 */
export const REFERENCE_START_MS = { tsx: 300, native: 90 } as const;

const PROBE = join(ROOT, "harness", "fixtures", "print_env.ts");

/** Median ms from spawn to the first line of a trivial TypeScript program, over `runs` runs one after another. */
export async function measureStartMs(runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await run(PROBE);
    times.push(r.lines[0]?.at ?? r.durationMs);
  }
  return median(times);
}

/**
 * The stub's limit, in ms: STUB_FAIL_LIMIT_MS times how much slower than the
 * reference a TypeScript child started when the check began (`baselineMs`),
 * times how much slower again it started beside the stub (`besideMs`, the
 * median of the probes); never below STUB_FAIL_LIMIT_MS.
 */
export function stubLimitMs(baselineMs: number, besideMs: number = baselineMs): number {
  const machine = Math.max(1, baselineMs / REFERENCE_START_MS[loaderName()]);
  const load = Math.max(1, besideMs / baselineMs);
  return Math.round(STUB_FAIL_LIMIT_MS * machine * load);
}
