// Tests of kata 12: one seller process owns the stock, buyers ask it over IPC.
// Three sales run side by side; each test judges one or all of them.
import { aliveInterval, assertBelow, assertFinished, assertOverlap, fail, findLine, kataSuite, once } from "../../harness/mod.ts";
import { answers, buyerProcesses, sale, SILENCE_MS } from "./_support/sales.ts";

// The deadline only stops a hung sale the silence rule misses, on a machine loaded enough that
// 17 buyers starting at once take a minute.
const { test, program } = kataSuite(import.meta.url, { unitMs: 100, deadlineMs: 180_000 });
/** How soon after its last buyer ended the seller must be gone, in ms: a right one is gone in a few. */
const SHUTDOWN_MS = 5000;

const SALES = [sale(program, 6, 2), sale(program, 8, 3), sale(program, 3, 5)];
const [usual] = SALES;
/** Starts every sale at once (their start-ups overlap) and waits for all of them. */
const allSales = once(() => Promise.all(SALES.map((s) => s.run())));

test("each buyer is a process of its own, a child of the seller", async () => {
  await allSales();
  buyerProcesses(await usual.run(), usual.buyers);
});

test("all buyers are alive at once while the sale is open: they really compete", async () => {
  await allSales();
  const run = await usual.run();
  assertOverlap(buyerProcesses(run, usual.buyers).map((p, i) => aliveInterval(p, `buyer ${i + 1}`)), {
    hint: "Fork every buyer before waiting for any of them.",
  });
});

test("exactly as many buyers as there are tickets get one; the rest hear it is sold out", async () => {
  await allSales();
  for (const s of SALES) {
    const { bought } = answers(s, await s.run());
    const expected = Math.min(s.buyers, s.stock);
    if (bought !== expected) {
      fail(`With ${s.buyers} buyers and ${s.stock} tickets, ${bought} buyers bought one; expected ${expected}.`, {
        hint: bought > expected
          ? "Oversold: check the stock and take a ticket in one step, with no await in between."
          : "A buy must succeed while tickets are left: take one and reply \"sold\".",
      });
    }
  }
});

test("each ticket sold leaves one fewer in the one stock: every count told is new", async () => {
  await allSales();
  for (const s of SALES) {
    const { left } = answers(s, await s.run());
    // One owner takes the tickets one by one: the buyers hear stock-1, stock-2, ... in some order, each once.
    const expected = left.map((_, i) => s.stock - 1 - i);
    const told = [...left].sort((a, b) => b - a);
    if (told.join() === expected.join()) continue;
    const twice = told.find((n, i) => told.indexOf(n) !== i);
    const sale = `With ${s.buyers} buyers and ${s.stock} tickets, the ${left.length} buyers who bought one were ` +
      `told ${left.join(", ")} left; one stock counted down gives ${expected.join(", ")}.`;
    if (twice !== undefined) {
      fail(sale, {
        hint: `Two buyers were told ${twice} left: the tickets were counted in more than one place. Keep one ` +
          "stock with one owner, the seller's event loop, and take each ticket from it in one step.",
      });
    }
    fail(sale, {
      hint: told[0] === s.stock
        ? "A buyer was told the count from before its ticket was taken: take the ticket, then tell what is left."
        : "Tell each buyer the tickets left in the one stock, right after taking its ticket.",
    });
  }
});

test("the seller shuts down cleanly once the last buyer has gone", async () => {
  await allSales();
  const run = await usual.run();
  const r = run.result;
  if (run.stoppedAt !== undefined) {
    fail(`Every buyer was answered, but the seller was still running ${SILENCE_MS / 1000} s after the last ` +
      "line, and the test stopped it.", {
      hint: "Leave nothing running in the seller (no timer, no server) once the buyers are served.",
    });
  }
  const lastBuyer = Math.max(...buyerProcesses(run, usual.buyers).map((p) => p.lastAlive ?? 0));
  if (r.timedOut) {
    fail(`The seller was still running at its deadline, ${Math.round((r.durationMs - lastBuyer) / 1000)} s after ` +
      "its last buyer had ended.", {
      hint: "Something keeps its event loop alive: leave nothing running in the seller (no timer, no server) " +
        "once the buyers are served.",
    });
  }
  assertFinished(r);
  assertBelow("the time from the last buyer's end to the seller's", r.durationMs - lastBuyer, SHUTDOWN_MS, {
    hint: "Leave nothing running in the seller (no timer, no server) once the buyers are served.",
  });
});

test("the seller's own account agrees with the buyers'", async () => {
  await allSales();
  for (const s of SALES) {
    const run = await s.run();
    const { bought } = answers(s, run);
    const expected = `seller: sold ${bought}, ${s.stock - bought} left, ${s.buyers} buyers served`;
    const line = findLine(run.result, /^seller: /);
    if (line?.text !== expected) {
      fail(`Expected the seller's last line "${expected}", but it printed ${line ? `"${line.text}"` : "none"}.`, {
        hint: "Count each sale in `sold` and take it off `stock` as you reply.",
      });
    }
  }
});

test.run();
