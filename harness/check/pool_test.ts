// Self-tests of the check's worker pool: the bound on workers, chains that
// never overlap, results in the jobs' order, which job starts first.
import { availableParallelism } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Job, runJobs, workerCount, WORKERS_PER_CORE } from "./_pool.ts";

interface Span {
  name: string;
  chain: string;
  from: number;
  to: number;
}

/** Jobs that each sleep `ms` and record when they ran; `order` records their starts. */
function sleepers(specs: [name: string, chain: string, ms: number, rank?: number][]) {
  const spans: Span[] = [];
  const order: string[] = [];
  const t0 = performance.now();
  const jobs: Job<string>[] = specs.map(([name, chain, ms, rank = 0]) => ({
    chain,
    rank,
    run: async () => {
      const from = performance.now() - t0;
      order.push(name);
      await sleep(ms);
      spans.push({ name, chain, from, to: performance.now() - t0 });
      return name;
    },
  }));
  return { jobs, spans, order };
}

/** The most spans open at one time. */
function mostAtOnce(spans: Span[]): number {
  const edges = spans.flatMap((s) => [[s.from, 1], [s.to, -1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let most = 0;
  for (const [, d] of edges) most = Math.max(most, (open += d));
  return most;
}

test("no more jobs run at once than there are workers, and every job runs", async () => {
  const { jobs, spans } = sleepers(Array.from({ length: 9 }, (_, i) => [`j${i}`, `c${i}`, 20] as [string, string, number]));
  await Promise.all(runJobs(jobs, { workers: 3 }));
  assert.is(spans.length, 9);
  assert.ok(mostAtOnce(spans) <= 3, `at most 3 at once, saw ${mostAtOnce(spans)}`);
  assert.ok(mostAtOnce(spans) >= 2, "independent jobs overlap");
});

test("the jobs of one chain never overlap and run in the order given", async () => {
  const { jobs, spans } = sleepers([["a1", "a", 30], ["b1", "b", 10], ["a2", "a", 5], ["b2", "b", 10], ["a3", "a", 5]]);
  await Promise.all(runJobs(jobs, { workers: 4 }));
  for (const chain of ["a", "b"]) {
    const mine = spans.filter((s) => s.chain === chain).sort((x, y) => x.from - y.from);
    assert.equal(mine.map((s) => s.name), mine.map((s) => s.name).sort(), `chain ${chain} ran in order`);
    for (let i = 1; i < mine.length; i++) {
      assert.ok(mine[i].from >= mine[i - 1].to, `${mine[i].name} started after ${mine[i - 1].name} ended`);
    }
  }
});

test("results come back in the jobs' order, whatever order they finish in", async () => {
  const { jobs } = sleepers([["slow", "x", 40], ["fast", "y", 1], ["middle", "z", 15]]);
  const finished: string[] = [];
  const results = runJobs(jobs, { workers: 3 });
  for (const r of results) void r.then((name) => finished.push(name));
  assert.equal(await Promise.all(results), ["slow", "fast", "middle"]);
  assert.equal(finished, ["fast", "middle", "slow"]);
});

test("a lower rank starts first; within a rank, the chain with the most jobs waiting", async () => {
  const { jobs, order } = sleepers([
    ["late", "l", 1, 2],
    ["single", "s", 1, 1],
    ["long1", "long", 1, 1],
    ["long2", "long", 1, 1],
    ["long3", "long", 1, 1],
    ["first", "f", 1, 0],
  ]);
  await Promise.all(runJobs(jobs, { workers: 1 }));
  assert.equal(order, ["first", "long1", "long2", "single", "long3", "late"]);
});

test("a job that throws rejects its own result and no other", async () => {
  const jobs: Job<number>[] = [
    { chain: "a", rank: 0, run: () => Promise.reject(new Error("boom")) },
    { chain: "a", rank: 0, run: () => { throw new Error("sync boom"); } },
    { chain: "a", rank: 0, run: async () => 3 },
  ];
  const [a, b, c] = runJobs(jobs, { workers: 1 }).map((p) => p.then((v) => v, (e: Error) => e.message));
  assert.equal([await a, await b, await c], ["boom", "sync boom", 3]);
});

test("the worker count comes from the flag, else KATA_WORKERS, else the machine's cores", () => {
  assert.is(workerCount("3", { KATA_WORKERS: "5" }), 3);
  assert.is(workerCount(undefined, { KATA_WORKERS: "5" }), 5);
  assert.is(workerCount(undefined, {}), WORKERS_PER_CORE * availableParallelism());
  assert.throws(() => workerCount("0", {}), /--workers=0: the worker count is a whole number, 1 or more/);
  assert.throws(() => workerCount(undefined, { KATA_WORKERS: "two" }), /KATA_WORKERS=two/);
});

test.run();
