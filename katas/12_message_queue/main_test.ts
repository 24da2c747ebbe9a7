// Tests of kata 12: one seller process owns the stock, buyers ask it over IPC.
import {
  aliveInterval,
  assertBelow,
  assertFinished,
  assertOverlap,
  childrenOf,
  describeEnd,
  fail,
  findLine,
  kataSuite,
  once,
  type ProcessRecord,
  type RunResult,
  stderrTail,
  stdoutLines,
} from "../../harness/mod.ts";

const { test, program } = kataSuite(import.meta.url, { unitMs: 100, deadlineMs: 20_000 });
/** How soon after its last buyer ended the seller must be gone, in ms. */
const SHUTDOWN_MS = 1000;

/** A sale: how many buyers and tickets, and its run. */
interface Sale {
  buyers: number;
  stock: number;
  run: () => Promise<RunResult>;
}
const sale = (buyers: number, stock: number): Sale => ({
  buyers,
  stock,
  run: once(() => program.run("main.ts", { args: [String(buyers), String(stock)], allowFailure: true })),
});
const SALES = [sale(6, 2), sale(8, 3), sale(3, 5)];
const [usual] = SALES;

function buyerProcesses(r: RunResult, expected: number): ProcessRecord[] {
  const found = childrenOf(r, r.pid).filter((p) => p.argv.some((a) => a.endsWith("buyer.ts")));
  if (found.length === expected) return found;
  return fail(
    `Expected ${expected} buyer processes, children of the seller (pid ${r.pid}), but the harness saw ` +
      `${found.length}.` + (r.exitCode === 0 ? "" : `\nmain.ts ${describeEnd(r)}:\n${stderrTail(r)}`),
    { hint: "Fork buyer.ts once per buyer, with the buyer's number as its argument." },
  );
}

/** Each buyer's answer line, checked against the observed buyer processes. */
function answers(s: Sale, r: RunResult): { bought: number; soldOut: number } {
  if (r.timedOut) assertFinished(r);
  const pids = new Set(buyerProcesses(r, s.buyers).map((p) => p.pid));
  const seen = new Map<number, string>();
  for (const line of stdoutLines(r)) {
    const m = /^buyer \d+ \(pid (\d+)\): (bought a ticket|sold out)$/.exec(line);
    if (!m) continue;
    const pid = Number(m[1]);
    if (!pids.has(pid)) fail(`"${line}" names pid ${pid}, which is not one of the observed buyers.`);
    if (seen.has(pid)) fail(`Buyer pid ${pid} got two answers: "${seen.get(pid)}" and "${m[2]}".`);
    seen.set(pid, m[2]);
  }
  if (seen.size < s.buyers) {
    fail(`With ${s.buyers} buyers and ${s.stock} tickets, only ${seen.size} buyers got an answer to "buy".`, {
      hint: "Every buy request needs a reply, \"sold\" or \"sold_out\"; did the seller stop answering early?",
    });
  }
  const bought = [...seen.values()].filter((a) => a === "bought a ticket").length;
  return { bought, soldOut: s.buyers - bought };
}

test("each buyer is a process of its own, a child of the seller", async () => {
  buyerProcesses(await usual.run(), usual.buyers);
});

test("all buyers are alive at once while the sale is open: they really compete", async () => {
  const r = await usual.run();
  assertOverlap(buyerProcesses(r, usual.buyers).map((p, i) => aliveInterval(p, `buyer ${i + 1}`)), {
    hint: "Fork every buyer before waiting for any of them.",
  });
});

test("exactly as many buyers as there are tickets get one; the rest hear it is sold out", async () => {
  for (const s of SALES) {
    const r = await s.run();
    const { bought } = answers(s, r);
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

test("the seller's own account agrees with the buyers'", async () => {
  for (const s of SALES) {
    const r = await s.run();
    const { bought } = answers(s, r);
    const expected = `seller: sold ${bought}, ${s.stock - bought} left, ${s.buyers} buyers served`;
    const line = findLine(r, /^seller: /);
    if (line?.text !== expected) {
      fail(`Expected the seller's last line "${expected}", but it printed ${line ? `"${line.text}"` : "none"}.`, {
        hint: "Count each sale in `sold` and take it off `stock` as you reply.",
      });
    }
  }
});

test("the seller shuts down cleanly once the last buyer has gone", async () => {
  const r = await usual.run();
  assertFinished(r);
  const lastBuyer = Math.max(...buyerProcesses(r, usual.buyers).map((p) => p.lastAlive ?? 0));
  assertBelow("the time from the last buyer's end to the seller's", r.durationMs - lastBuyer, SHUTDOWN_MS, {
    hint: "Leave nothing running in the seller (no timer, no server) once the buyers are served.",
  });
});

test.run();
