// Test helper: runs one ticket sale in a fresh temporary folder (never in the
// repository) and collects what the checks need: the run, every reading of
// ticket.json during it, and the folder's state at the end.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import {
  assertFinished,
  assertNothingLeft,
  childrenOf,
  fail,
  type ProcessRecord,
  type RunningProgram,
  type RunOptions,
  type RunResult,
  stderrTail,
  tempDir,
} from "../../../harness/mod.ts";
import { type WatchReport, watchTicketFile } from "./watch.ts";

/** main.ts's default number of buyers. */
export const DEFAULT_BUYERS = 6;

/** Starts a sale program with these arguments (the learner's main.ts, or a fixture). */
export type Starter = (args: string[], options: RunOptions) => RunningProgram;

/** Options of {@link runSale}. */
export interface SaleOptions {
  /** Passed as --buyers; left out, the program's default applies. */
  buyers?: number;
  /** Tickets in ticket.json when the sale opens. */
  stock: number;
  /** Passed as --pay-units: how long each payment takes. */
  payUnits: number;
  /** Passed as --search-units: how long each search takes. */
  searchUnits: number;
  /** Passed as --stagger-units: each buyer searches this much longer than the one forked before it. */
  staggerUnits?: number;
  /** Passed as --declined: how many buyers (the first forked) have their first card declined. */
  declined?: number;
  deadlineMs?: number;
  /** Runs beside the sale, e.g. to kill a buyer. */
  during?: (running: RunningProgram) => Promise<void>;
  /** Do not fail when the program exits non-zero or times out, or leaves processes; the caller judges. */
  allowFailure?: boolean;
}

/** One sale as the harness saw it. */
export interface Sale {
  result: RunResult;
  /** Buyers the sale should have had. */
  buyers: number;
  stock: number;
  watch: WatchReport;
  /** ticket.json's text after the run; undefined if it was gone. */
  finalText: string | undefined;
  /** Files left in the sale's folder besides ticket.json. */
  strayFiles: string[];
}

/** A sale under way: the running program, and the sale as judged once it is over. */
export interface SaleRun {
  running: RunningProgram;
  sale: Promise<Sale>;
}

/** Runs one sale to the end in a fresh temporary folder, which is removed afterwards. */
export function runSale(startSale: Starter, options: SaleOptions): Promise<Sale> {
  return beginSale(startSale, options).sale;
}

/** Starts one sale in a fresh temporary folder and hands back control while it runs. */
export function beginSale(startSale: Starter, options: SaleOptions): SaleRun {
  const dir = tempDir("kata06-");
  const file = join(dir, "ticket.json");
  writeFileSync(file, JSON.stringify({ count: options.stock }) + "\n");
  const args = ["--file", file, "--search-units", String(options.searchUnits)];
  args.push("--pay-units", String(options.payUnits));
  if (options.buyers !== undefined) args.push("--buyers", String(options.buyers));
  if (options.staggerUnits !== undefined) args.push("--stagger-units", String(options.staggerUnits));
  if (options.declined !== undefined) args.push("--declined", String(options.declined));
  // Opened before the program starts, so the first version of the file is held from the outset.
  const t0 = performance.now();
  const watch = watchTicketFile(file, () => performance.now() - t0);
  // Only options that are set: an undefined one would override the kata's defaults.
  const runOptions: RunOptions = { cwd: dir };
  if (options.deadlineMs !== undefined) runOptions.deadlineMs = options.deadlineMs;
  const running = startSale(args, runOptions);
  const during = options.during?.(running).then(() => undefined, (err: unknown) => err);

  async function finish(): Promise<Sale> {
    try {
      const result = await running.result;
      const duringError = await during;
      const sale: Sale = {
        result,
        buyers: options.buyers ?? DEFAULT_BUYERS,
        stock: options.stock,
        watch: watch.stop(),
        finalText: existsSync(file) ? readFileSync(file, "utf8") : undefined,
        strayFiles: readdirSync(dir).filter((f) => f !== "ticket.json"),
      };
      if (duringError) throw duringError;
      if (options.allowFailure) return sale;
      assertSaleFinished(result);
      assertNothingLeft(result, { hint: "Does main.ts wait for every buyer, and does every buyer end?" });
      return sale;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const sale = finish();
  sale.catch(() => {}); // judged by whoever awaits it; a test that failed early may never look
  return { running, sale };
}

/**
 * The buyer processes of a run: main's children, less the loader's esbuild
 * helper, which the tree can record when it catches it between fork and exec.
 */
export function buyerRecords(r: RunResult): ProcessRecord[] {
  return childrenOf(r, r.pid).filter((p) => !/(^|\/)esbuild$/.test(p.argv[0] ?? ""));
}

/**
 * Like assertFinished, but on a timeout says where each buyer was, and names a
 * buyer's crash as such (a JSON error in stderr is no failure to load).
 */
export function assertSaleFinished(r: RunResult): void {
  if (r.timedOut) {
    const where = buyerRecords(r).map((p) => {
      const last = r.lines.findLast((l) => l.text.startsWith(`buyer ${p.pid}: `));
      return `  buyer ${p.pid}: ${last ? `last printed "${last.text}" at ${Math.round(last.at)} ms` : "printed nothing"}`;
    });
    fail(
      `The sale was still running at its ${r.deadlineMs} ms deadline, so the harness killed it. ` +
        `Where the buyers were:\n${where.join("\n")}`,
      {
        hint: `A buyer whose last line is "sees N left" was waiting for the lock: was it ever granted, and ` +
          `did the buyer before it give it back? One that printed nothing never started its search.`,
      },
    );
  }
  const crashed = r.lines.filter((l) => /^main: buyer \d+ (exited|was killed)/.test(l.text));
  if (crashed.length === 0) return assertFinished(r);
  const tail = stderrTail(r);
  fail(
    `Not every buyer ended well:\n${crashed.map((l) => `  ${l.text}`).join("\n")}\n` +
      (tail ? `The end of the sale's stderr:\n${tail}` : "Nothing was printed to stderr."),
    {
      // A half-written file makes JSON.parse throw: then the cause is known, and so is the cure.
      hint: /JSON/.test(r.stderr)
        ? "A buyer read ticket.json while another was rewriting it in place, and found it half written. " +
          "Write the new count to a temporary file in the same folder, then rename() it over ticket.json: a " +
          "rename replaces the file whole, so a reader sees the old count or the new one, never a part."
        : "A buyer that reads ticket.json while another rewrites it in place can read a half-written file; " +
          "read the error above first.",
    },
  );
}
