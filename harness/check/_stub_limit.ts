// How fast a stub must fail: within STUB_FAIL_LIMIT_MS on a machine that starts
// a TypeScript child in REFERENCE_START_MS, and proportionally longer on a
// machine (or at a moment) that starts one more slowly, so that the limit
// judges the kata, not the machine.
import { join } from "node:path";
import { ROOT } from "../katas.ts";
import { run } from "../run.ts";

/** A stub must fail a test within this many ms of its first test starting, at the reference start-up. */
export const STUB_FAIL_LIMIT_MS = 2000;
/** Start-up of a TypeScript child (to its first line) that STUB_FAIL_LIMIT_MS is set for: Node 20 with tsx, idle. */
export const REFERENCE_START_MS = 300;

const PROBE = join(ROOT, "harness", "fixtures", "print_env.ts");

/** Median ms from spawn to the first line of a trivial TypeScript program, over `runs` runs one after another. */
export async function measureStartMs(runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await run(PROBE);
    times.push(r.lines[0]?.at ?? r.durationMs);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

/** The stub's limit, in ms, where a TypeScript child starts in `startMs`; never below STUB_FAIL_LIMIT_MS. */
export function stubLimitMs(startMs: number): number {
  return Math.round(STUB_FAIL_LIMIT_MS * Math.max(1, startMs / REFERENCE_START_MS));
}
