// Tests of kata 06: run ticket sales, each over its own ticket.json in a fresh
// temporary folder, while the harness watches the file and the process tree.
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
  assertAlwaysValid,
  assertFileAccounts,
  assertReplacedAtomically,
  assertSearchesOverlap,
  assertSoldExactly,
  outcomes,
} from "./_support/judge.ts";
import { doublePayment, failDoublePayment } from "./_support/early.ts";
import { assertSaleFinished, beginSale, runSale, type Sale, type Starter } from "./_support/sale.ts";

const UNIT_MS = 40;
/** Generous: with the machine's 2 cores at a load of 50, 8 buyers took 25 s to start under tsx. */
const DEADLINE_MS = 60_000;
/** After a buyer is killed, the rest need about a payment (0.4 s); a dead lock never ends. */
const AFTER_KILL_MS = 8000;
const { test, program } = kataSuite(import.meta.url, { unitMs: UNIT_MS, deadlineMs: DEADLINE_MS });

const startMain: Starter = (args, options) => program.start("main.ts", { ...options, args });

// An unlocked buyer must surely read a stale count: payments last several units
// where that matters. Searches are long where their overlap is checked, so that
// buyers woken late on a loaded machine still search side by side.
const duelRun = once(async () => beginSale(startMain, { buyers: 2, stock: 1, searchUnits: 1, payUnits: 8 }));
const duel = async () => (await duelRun()).sale;
const sale = once(() => runSale(startMain, { stock: 3, searchUnits: 10, payUnits: 2 }));
const crowd = once(() => runSale(startMain, { buyers: 8, stock: 10, searchUnits: 10, payUnits: 1 }));
const allSales = () => Promise.all([duel(), sale(), crowd()]);

test("of two buyers after the only ticket, exactly one gets it", async () => {
  const { running, sale: judged } = await duelRun();
  // Fails as soon as both buyers pay at once, instead of after the whole sale.
  const race = await doublePayment(running, 1);
  if (race) failDoublePayment(race);
  assertSoldExactly(await judged);
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

test("each write replaces ticket.json whole, by a rename, and leaves no temporary file", async () => {
  for (const s of await allSales()) assertReplacedAtomically(s);
});

test("the buyers' searches overlap in time", async () => {
  assertSearchesOverlap(await sale());
  assertSearchesOverlap(await crowd());
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
