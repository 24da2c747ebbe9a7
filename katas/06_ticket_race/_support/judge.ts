// Test helper: the checks of a sale, each failing with a lesson. The buyers are
// the children of main.ts seen in the process tree; what they printed is only
// believed for pids that the tree confirms.
import { fail, type OutputLine, stderrTail } from "../../../harness/mod.ts";
import { buyerRecords, type Sale } from "./sale.ts";

const OUTCOME = /^buyer (\d+): (bought a ticket|sold out)$/;
/** The lesson of every oversold sale. */
export const LOCK_HINT = "Reading the count, paying and writing the count back is one critical section: take " +
  "the lock before the read and give it back only after the write (after buy() has finished: await it), so no " +
  "buyer acts on a stale count.";

/** The observed buyer processes (main.ts's children); there must be as many as the sale asked for. */
export function buyerPids(sale: Sale): number[] {
  const children = buyerRecords(sale.result);
  const pids = children.map((p) => p.pid);
  if (pids.length !== sale.buyers) {
    const seen = children.map((p) => `  pid ${p.pid}: ${p.argv.slice(-4).join(" ")}`).join("\n");
    fail(`Expected ${sale.buyers} buyer processes (children of main.ts), but the harness saw ${pids.length}:\n` +
      seen, { hint: "main.ts forks one buyer per --buyers; did something else start or stop processes?" });
  }
  return pids;
}

/** Each buyer's outcome line; every buyer but `killed` must print exactly one. */
export function outcomes(sale: Sale, killed?: number): Map<number, OutputLine> {
  const pids = buyerPids(sale);
  const found = new Map<number, OutputLine>();
  for (const line of sale.result.lines) {
    const m = OUTCOME.exec(line.text);
    if (!m) continue;
    const pid = Number(m[1]);
    if (!pids.includes(pid)) fail(`"${line.text}" names pid ${pid}, which is none of the buyers: ${pids.join(", ")}.`);
    if (found.has(pid)) fail(`Buyer ${pid} printed two outcomes: "${found.get(pid)!.text}" and "${line.text}".`);
    found.set(pid, line);
  }
  const silent = pids.filter((p) => p !== killed && !found.has(p));
  if (silent.length > 0) {
    const tail = stderrTail(sale.result);
    fail(
      `Buyer(s) ${silent.join(", ")} printed neither "bought a ticket" nor "sold out".` +
        (tail ? ` The end of stderr:\n${tail}` : ""),
      { hint: "Every buyer must end its visit with one of the two lines." },
    );
  }
  return found;
}

/** The pids that bought a ticket. */
export function boughtBy(sale: Sale, killed?: number): number[] {
  return [...outcomes(sale, killed)].filter(([, l]) => l.text.endsWith("bought a ticket")).map(([pid]) => pid);
}

/** Two payments that overlapped in time, in words, or "" if none did. */
function overlappingPayments(sale: Sale): string {
  const at = (pid: number, what: string) => sale.result.lines.find((l) => l.text === `buyer ${pid}: ${what}`)?.at;
  const pays = buyerPids(sale).flatMap((pid) => {
    const start = at(pid, "paying");
    const end = at(pid, "bought a ticket");
    return start !== undefined && end !== undefined ? [{ pid, start, end }] : [];
  }).sort((a, b) => a.start - b.start);
  for (let i = 1; i < pays.length; i++) {
    const [a, b] = [pays[i - 1], pays[i]];
    if (b.start < a.end) {
      return ` Buyer ${b.pid} began paying at ${Math.round(b.start)} ms, while buyer ${a.pid} was still paying ` +
        `(it wrote its sale at ${Math.round(a.end)} ms): both had read the same count.`;
    }
  }
  return "";
}

/** Exactly min(buyers, stock) bought; the rest were told it sold out. */
export function assertSoldExactly(sale: Sale, killed?: number): void {
  const bought = boughtBy(sale, killed);
  const buyers = sale.buyers - (killed === undefined ? 0 : 1);
  const expected = Math.min(buyers, sale.stock);
  const wanted = `Expected exactly ${expected} of ${buyers} buyers to get a ticket (${sale.stock} in stock)`;
  if (bought.length > sale.stock) {
    fail(`${wanted}, but ${bought.length} bought one: the sale oversold by ${bought.length - sale.stock}.` +
      overlappingPayments(sale), { hint: LOCK_HINT });
  }
  if (bought.length !== expected) {
    fail(`${wanted}, but only ${bought.length} did: the others were told it sold out while tickets were left.`, {
      hint: "A buyer should be turned away only when the count it reads, holding the lock, is 0.",
    });
  }
}

/** The file ends at stock minus sold, and no reading of it was below zero. */
export function assertFileAccounts(sale: Sale, killed?: number): void {
  const sold = boughtBy(sale, killed).length;
  const negative = sale.watch.readings.find((r) => r.count !== undefined && r.count < 0);
  if (negative) {
    fail(`ticket.json held a count of ${negative.count} at ${Math.round(negative.at)} ms: it went below zero.`, {
      hint: "Check that a ticket is left, and take it, within one critical section.",
    });
  }
  if (sale.finalText === undefined) fail("After the sale, ticket.json was gone.");
  let final: number | undefined;
  try {
    final = (JSON.parse(sale.finalText) as { count?: number }).count;
  } catch {
    fail(`After the sale, ticket.json is not valid JSON: ${JSON.stringify(sale.finalText)}.`);
  }
  if (final !== sale.stock - sold) {
    fail(`After the sale, ticket.json holds ${final}, but ${sale.stock} in stock minus ${sold} sold is ` +
      `${sale.stock - sold}: buyers wrote back counts computed from the same old read.`, { hint: LOCK_HINT });
  }
}

/** Every reading of ticket.json during the sale was valid JSON. */
export function assertAlwaysValid(sale: Sale): void {
  const bad = sale.watch.invalid[0];
  if (!bad) return;
  fail(`ticket.json was not valid at ${Math.round(bad.at)} ms (${bad.problem}: ${JSON.stringify(bad.text)}), ` +
    `one of ${sale.watch.invalid.length} bad reads out of ${sale.watch.readings.length}.`, {
    hint: "Write the new count to a temporary file in the same folder, then rename it over ticket.json.",
  });
}

/** Each version of ticket.json was replaced whole (by a rename), never changed in place; no temporary file is left. */
export function assertReplacedAtomically(sale: Sale): void {
  const change = sale.watch.changedInPlace[0];
  if (change) {
    fail(`ticket.json was rewritten in place: the harness held the file open and saw its content change from ` +
      `${JSON.stringify(change.before)} to ${JSON.stringify(change.after)}. Rewriting a file first empties it, so a ` +
      `buyer reading at that moment finds an empty or half-written file.`, {
      hint: "Write the new count to a temporary file in the same folder, then rename() it over ticket.json: " +
        "the name then points at the old file or the new one, never at one being written.",
    });
  }
  const sold = boughtBy(sale).length;
  if (sold > 0 && sale.watch.otherNames.length === 0 && sale.watch.changedInPlace.length === 0) {
    fail(`ticket.json was replaced ${sold} time(s), but no temporary file ever appeared beside it: each new ` +
      "version was written somewhere else (os.tmpdir()?) and renamed into the folder. That works only while " +
      "both folders are on one file system: rename() cannot move a file to another one (EXDEV), and /tmp is " +
      "often a file system of its own (a tmpfs).", {
      hint: "Write the temporary file in the same folder as ticket.json, then rename it over ticket.json.",
    });
  }
  if (sale.strayFiles.length > 0) {
    fail(`The sale left ${sale.strayFiles.join(", ")} beside ticket.json.`, {
      hint: "Each temporary file should be renamed over ticket.json, or removed if the write fails.",
    });
  }
}

/** Every buyer's search (from "searching" to "sees N left") overlaps every other's. */
export function assertSearchesOverlap(sale: Sale): void {
  const searches = buyerPids(sale).map((pid) => {
    const start = sale.result.lines.find((l) => l.text === `buyer ${pid}: searching`);
    const end = sale.result.lines.find((l) => new RegExp(`^buyer ${pid}: sees -?\\d+ left$`).test(l.text));
    if (!start || !end) fail(`Buyer ${pid} did not print both "searching" and "sees N left".`);
    return { pid, start: start.at, end: end.at };
  });
  const last = searches.reduce((a, b) => (b.start > a.start ? b : a));
  const first = searches.reduce((a, b) => (b.end < a.end ? b : a));
  if (last.start <= first.end) return;
  fail(
    `Expected all ${searches.length} searches to be under way at one moment, but buyer ${last.pid} began ` +
      `searching at ${Math.round(last.start)} ms, after buyer ${first.pid} had finished its search at ` +
      `${Math.round(first.end)} ms.`,
    { hint: "A search only reads, so it needs no lock: searches should run side by side, and only the " +
      "purchase wait its turn." },
  );
}

/** A buyer's first request for the lock (its "sees N left" line) and the first line it printed holding it. */
interface Turn {
  pid: number;
  asked: OutputLine;
  served: { line: OutputLine; index: number } | undefined;
}

/**
 * Buyers got the lock in the order they asked: a buyer that asked at least
 * `tieMs` before another got it first. A buyer asks right after it prints
 * "sees N left"; its first line holding the lock is "paying" or "sold out".
 */
export function assertServedInOrder(sale: Sale, tieMs: number): void {
  const lines = sale.result.lines;
  const turns: Turn[] = buyerPids(sale).flatMap((pid) => {
    const asked = lines.findIndex((l) => new RegExp(`^buyer ${pid}: sees -?\\d+ left$`).test(l.text));
    if (asked < 0) return [];
    const index = lines.findIndex((l, i) => i > asked && (l.text === `buyer ${pid}: paying` || l.text === `buyer ${pid}: sold out`));
    return [{ pid, asked: lines[asked], served: index < 0 ? undefined : { line: lines[index], index } }];
  });
  for (const late of turns) {
    if (!late.served) continue;
    const wronged = turns.find((early) =>
      early.asked.at + tieMs <= late.asked.at && (!early.served || early.served.index > late.served!.index)
    );
    if (!wronged) continue;
    fail(
      `Buyer ${wronged.pid} asked for the lock at ${Math.round(wronged.asked.at)} ms (right after "${wronged.asked.text}"), ` +
        `${Math.round(late.asked.at - wronged.asked.at)} ms before buyer ${late.pid}, but buyer ${late.pid} got it first ` +
        `("${late.served.line.text}" at ${Math.round(late.served.line.at)} ms; buyer ${wronged.pid} ` +
        `${wronged.served ? `only at ${Math.round(wronged.served.line.at)} ms` : "never"}).`,
      {
        hint: "The lock serves its waiters first come, first served, as the README promises: keep them in a " +
          "queue in the order their requests arrived, and grant the lock to the one that has waited longest.",
      },
    );
  }
}
