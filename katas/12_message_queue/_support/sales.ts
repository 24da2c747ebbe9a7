// Private helpers of kata 12's tests: run a sale (stopping one that has
// plainly stalled), find its buyers in the observed tree, and read what each
// buyer was told.
import { setTimeout as sleep } from "node:timers/promises";
import {
  childrenOf,
  describeEnd,
  fail,
  type KataProgram,
  once,
  type ProcessRecord,
  type RunResult,
  stderrTail,
  stdoutLines,
} from "../../../harness/mod.ts";

/**
 * Once every buyer has said how many tickets it sees (or, after a first one
 * has, no more buyers are forked), the sale runs on messages alone: answers
 * come within milliseconds. This much silence then means processes wait for
 * something that will never come.
 */
export const SILENCE_MS = 15_000;
const POLL_MS = 100;

/** A sale: how many buyers and tickets, and its run. */
export interface Sale {
  buyers: number;
  stock: number;
  run: () => Promise<SaleRun>;
}

/** A finished sale, and whether the test stopped it. */
export interface SaleRun {
  result: RunResult;
  /** When the test stopped a stalled sale, in ms since the run started. */
  stoppedAt?: number;
}

/** A sale of `buyers` buyers and `stock` tickets, run once, when first asked for. */
export function sale(program: KataProgram, buyers: number, stock: number): Sale {
  return { buyers, stock, run: once(() => runSale(program, buyers, stock)) };
}

const SEES = /^buyer \d+ \(pid (\d+)\): sees -?\d+ left$/;
const ANSWER = /^buyer \d+ \(pid (\d+)\): (bought a ticket, (-?\d+) left|sold out)$/;

async function runSale(program: KataProgram, buyers: number, stock: number): Promise<SaleRun> {
  const running = program.start("main.ts", { args: [String(buyers), String(stock)] });
  let stoppedAt: number | undefined;
  for (;;) {
    const ended = await Promise.race([running.result, sleep(POLL_MS).then(() => undefined)]);
    if (ended) return { result: ended, stoppedAt };
    if (stoppedAt !== undefined) continue;
    const lines = running.lines.filter((l) => l.stream === "stdout");
    const looked = lines.filter((l) => SEES.test(l.text)).length;
    // A right seller forks every buyer before any can answer: after a first
    // answer, fewer buyer processes than buyers means no more are coming.
    const forked = running.tree.records().filter((p) => p.ppid === running.pid && isBuyer(p)).length;
    const settled = looked >= buyers || (looked > 0 && forked < buyers);
    if (settled && running.now() - (lines.at(-1)?.at ?? 0) > SILENCE_MS) {
      stoppedAt = running.now();
      running.kill("SIGKILL");
    }
  }
}

function isBuyer(p: ProcessRecord): boolean {
  return p.argv.some((a) => a.endsWith("buyer.ts"));
}

/** The observed buyer processes of a sale; a lesson unless there are exactly `expected`. */
export function buyerProcesses(run: SaleRun, expected: number): ProcessRecord[] {
  const r = run.result;
  const found = childrenOf(r, r.pid).filter(isBuyer);
  if (found.length === expected) return found;
  const hung = r.timedOut || run.stoppedAt !== undefined;
  return fail(
    `Expected ${expected} buyer processes, children of the seller (pid ${r.pid}), but the harness saw ` +
      `${found.length}.` + (r.exitCode === 0 ? "" : `\nmain.ts ${describeEnd(r)}:\n${stderrTail(r)}`),
    {
      hint: hung && found.length < expected
        ? "A buyer waits for the sale to open, and it opens only once every buyer has looked: fork all of " +
          "them first. Waiting for one buyer before forking the next waits for ever."
        : "Fork buyer.ts once per buyer, with the buyer's number as its argument.",
    },
  );
}

/** What the buyers of a sale were told: how many bought, and the count left that each buyer heard. */
export interface Answers {
  bought: number;
  /** The tickets left as told to each buyer who bought one, in the order they were told. */
  left: number[];
}

/** Each buyer's answer line, checked against the observed buyer processes; a lesson if some got none. */
export function answers(s: Sale, run: SaleRun): Answers {
  const r = run.result;
  const pids = new Set(buyerProcesses(run, s.buyers).map((p) => p.pid));
  const seen = new Map<number, string>();
  const left: number[] = [];
  for (const line of stdoutLines(r)) {
    const m = ANSWER.exec(line);
    if (!m) continue;
    const pid = Number(m[1]);
    if (!pids.has(pid)) fail(`"${line}" names pid ${pid}, which is not one of the observed buyers.`);
    if (seen.has(pid)) fail(`Buyer pid ${pid} got two answers: "${seen.get(pid)}" and "${m[2]}".`);
    seen.set(pid, m[2]);
    if (m[3] !== undefined) left.push(Number(m[3]));
  }
  if (seen.size < s.buyers) failUnanswered(s, run, seen.size, left.length);
  return { bought: left.length, left };
}

function failUnanswered(s: Sale, run: SaleRun, answered: number, bought: number): never {
  const r = run.result;
  const looked = stdoutLines(r).filter((l) => SEES.test(l)).length;
  const end = run.stoppedAt !== undefined
    ? `the test stopped the seller after ${SILENCE_MS / 1000} s in which nothing happened`
    : `main.ts ${describeEnd(r)}`;
  const told = `With ${s.buyers} buyers and ${s.stock} tickets, ${looked} buyers were told how many tickets ` +
    `were left, but only ${answered} got an answer to "buy" (${bought} bought one); ${end}.`;
  const hung = run.stoppedAt !== undefined || r.timedOut;
  if (hung && looked >= s.buyers && answered === 0) {
    fail(told, {
      hint: "The seller answered each buyer's first message and none after it. A buyer sends more than one: " +
        "serve every message it sends, with on(\"message\"), not once().",
    });
  }
  if (hung && looked >= s.buyers && answered === bought && bought > 0) {
    fail(told, {
      hint: "Only the buyers who got a ticket heard back. Sold out is an answer too: a buyer left without " +
        "one waits for ever.",
    });
  }
  fail(told, {
    hint: "Every buy request needs a reply, \"sold\" or \"sold_out\", before the seller ends; did it stop " +
      "answering early?",
  });
}
