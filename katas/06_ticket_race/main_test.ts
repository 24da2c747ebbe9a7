// Tests of kata 06: run ticket sales, each over its own ticket.json in a fresh
// temporary folder, while the harness watches the file and the process tree.
// After the first sale, the others run side by side.
import { setTimeout as sleep } from "node:timers/promises";
import {
  assertNothingLeft,
  describeProcess,
  fail,
  findLine,
  kataSuite,
  once,
  type RunningProgram,
} from "../../harness/mod.ts";
import {
  assertAlwaysValid, assertFileAccounts, assertReplacedAtomically, assertSearchesOverlap, assertServedInOrder,
  assertSoldExactly, outcomes,
} from "./_support/judge.ts";
import { doublePayment, failDoublePayment, untilEndOrStall } from "./_support/early.ts";
import { assertSaleFinished, beginSale, runSale, type Sale, type Starter } from "./_support/sale.ts";

const UNIT_MS = 40;
/** Generous: with the machine's 2 cores at a load of 50, 8 buyers took 25 s to start under tsx. */
const DEADLINE_MS = 60_000;
/** After a buyer is killed, the rest need about a payment (0.4 s); a dead lock never ends. */
const AFTER_KILL_MS = 8000;
/** In the sale judged for its order, each buyer asks 5 units after the one forked before it... */
const STAGGER_UNITS = 5;
/** ...so requests less than that apart count as simultaneous (a buyer prints "sees", then asks). */
const TIE_MS = STAGGER_UNITS * UNIT_MS;
/** How long no buyer may get the lock after a declined card, while buyers wait: a lock handed on takes ms. */
const STALL_MS = 5000;
const { test, program } = kataSuite(import.meta.url, { unitMs: UNIT_MS, deadlineMs: DEADLINE_MS });

const startMain: Starter = (args, options) => program.start("main.ts", { ...options, args });

// An unlocked buyer must surely read a stale count: payments last several units
// where that matters. Searches are long where their overlap is checked, so that
// buyers woken late on a loaded machine still search side by side.
const duelRun = once(async () => beginSale(startMain, { buyers: 2, stock: 1, searchUnits: 1, payUnits: 8 }));
const duel = async () => (await duelRun()).sale;
// Staggered requests and long payments, so that buyers queue up: the order they are served in shows.
const sale = once(() => runSale(startMain, { stock: 3, searchUnits: 10, staggerUnits: STAGGER_UNITS, payUnits: 12 }));
const crowd = once(() => runSale(startMain, { buyers: 8, stock: 10, searchUnits: 10, payUnits: 1 }));
// The first buyer's first card is declined: buy() throws while it holds the lock.
const declinedRun = once(async () => {
  let stuck: { pid: number; at: number; left: string } | undefined;
  const s = await runSale(startMain, {
    buyers: 3, stock: 3, searchUnits: 2, payUnits: 4, declined: 1, allowFailure: true,
    async during(running) {
      const line = await running.waitForLine(/^buyer \d+: card declined/).catch(() => undefined);
      if (!line) return;
      const left = await untilEndOrStall(running, line.at, STALL_MS);
      if (left !== undefined) stuck = { pid: Number(/\d+/.exec(line.text)![0]), at: line.at, left };
    },
  });
  return { sale: s, stuck };
});
const allSales = () => Promise.all([duel(), sale(), crowd()]);

test("of two buyers after the only ticket, exactly one gets it", async () => {
  const { running, sale: judged } = await duelRun();
  // Fails as soon as both buyers pay at once, instead of after the whole sale.
  const race = await doublePayment(running, 1);
  if (race) failDoublePayment(race);
  // The later tests' sales run side by side from now on, each in its own folder.
  for (const next of [sale, crowd, declinedRun]) next().catch(() => {});
  assertSoldExactly(await judged);
});

// Before the counts of the bigger sales: a file rewritten in place can make a buyer's search read it
// half written and crash there, and the cause, not that symptom, is the lesson.
test("each write replaces ticket.json whole, by a rename, and leaves no temporary file", async () => {
  for (const s of await allSales()) assertReplacedAtomically(s);
});

test("six buyers (the default) and three tickets: three buy, three are told it sold out", async () => {
  assertSoldExactly(await sale());
});

test("eight buyers and ten tickets: all eight buy", async () => {
  assertSoldExactly(await crowd());
});

test("ticket.json ends at the stock minus the tickets sold, and never goes below zero", async () => {
  for (const s of await allSales()) assertFileAccounts(s);
});

test("ticket.json is valid JSON every time the harness reads it during a sale", async () => {
  for (const s of await allSales()) assertAlwaysValid(s);
});

test("the buyers' searches overlap in time", async () => {
  assertSearchesOverlap(await sale());
  assertSearchesOverlap(await crowd());
});

test("buyers get the lock in the order they asked for it", async () => {
  assertServedInOrder(await sale(), TIE_MS);
});

test("a buyer whose card is declined gives the lock back, and buys with its next card", async () => {
  const { sale: s, stuck } = await declinedRun();
  if (stuck) {
    fail(
      `Buyer ${stuck.pid}'s card was declined at ${Math.round(stuck.at)} ms: buy() threw while the buyer held the ` +
        `lock. For ${STALL_MS} ms after that no buyer got the lock, though buyers were waiting for it (the ` +
        `harness then killed the sale):\n${stuck.left}\nThe lock was never given back, and the buyer asked for ` +
        "it again for its next card, behind itself.",
      { hint: "Give the lock back in a finally block: it then runs however buy() ends, by returning or by throwing." },
    );
  }
  const r = s.result;
  assertSaleFinished(r);
  assertNothingLeft(r);
  assertSoldExactly(s);
  assertFileAccounts(s);
});

test("a buyer killed while it holds the lock does not stop the others", async () => {
  let victim = -1;
  let stuck: string | undefined;
  const s: Sale = await runSale(startMain, {
    buyers: 3,
    stock: 1,
    searchUnits: 2,
    payUnits: 10, // the victim pays this long, so the kill lands while it holds the lock
    allowFailure: true,
    async during(running) {
      const line = await running.waitForLine(/^buyer \d+: paying$/).catch((e: Error) => fail(e.message));
      victim = Number(/\d+/.exec(line.text)![0]);
      const record = running.tree.records().find((p) => p.pid === victim);
      if (record?.ppid !== running.pid) fail(`"${line.text}" names pid ${victim}, which is no buyer of main.ts.`);
      process.kill(victim, "SIGKILL");
      stuck = await stillRunning(running, AFTER_KILL_MS);
    },
  });
  if (stuck !== undefined) {
    fail(
      `Buyer ${victim} was killed while it held the lock (it was paying). ${AFTER_KILL_MS} ms later the ` +
        `sale had still not ended, so the harness killed it; still there were:\n${stuck}\nThe other buyers ` +
        `were waiting for a lock that nobody would ever give back.`,
      {
        hint: "A process killed by SIGKILL runs no more code, so it cannot unlock. The lock must be freed " +
          "by whoever notices the holder is gone: the parent sees a child's IPC channel close, however it died.",
      },
    );
  }
  const r = s.result;
  if (r.exitCode !== 0 && !findLine(r, `main: buyer ${victim} was killed by SIGKILL`)) assertSaleFinished(r);
  assertNothingLeft(r);
  if (outcomes(s, victim).has(victim)) {
    fail(`Buyer ${victim} finished its purchase before the harness could kill it; the test needs a slower payment.`);
  }
  assertSoldExactly(s, victim);
  assertFileAccounts(s, victim);
});

/** Waits up to `ms` for the sale to end; if it does not, kills it and describes what was left. */
async function stillRunning(running: RunningProgram, ms: number): Promise<string | undefined> {
  const timeout = new AbortController();
  const ended = await Promise.race([
    running.result.then(() => true),
    sleep(ms, false, { signal: timeout.signal }).catch(() => false),
  ]);
  timeout.abort();
  if (ended) return undefined;
  const left = running.tree.alive().map((p) => `  ${describeProcess(p)}`).join("\n");
  running.kill("SIGKILL");
  return left;
}

test.run();
