// What a buyer does at the ticket office, apart from the lock and the write
// (those are yours, in buyer.ts and lock.ts). Given complete.
//
// A buyer searches (reads the count and prints it), then buys: reads the count,
// and if a ticket is left, pays, then writes the count minus one back. Some
// buyers' first card is declined: the payment then fails (buy() throws) and
// the buyer tries its next card.
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);

/** A card a buyer pays with: a declined one makes the payment fail. */
export type Card = "good" | "declined";

/** One buyer's visit, read from its arguments: <ticket file> <search units> <pay units> [declined]. */
export interface Visit {
  file: string;
  /** How the buyer names itself in its lines: `buyer <pid>`. */
  me: string;
  /** How long a search takes, like a slow network, and how long a payment takes, in units. */
  searchUnits: number;
  payUnits: number;
  /** The cards it tries, in order: a good one, or a declined one and then a good one. */
  cards: Card[];
}

/** Writes the count of tickets left into the ticket file. */
export type WriteCount = (file: string, count: number) => void;

/** The visit main.ts asked for in this process's arguments. */
export function visitOf(args: string[]): Visit {
  const [file, searchUnits = "2", payUnits = "1", declined] = args;
  if (!file) throw new TypeError("Cannot buy: no ticket file given (run main.ts, which forks the buyers)");
  return {
    file,
    me: `buyer ${process.pid}`,
    searchUnits: Number(searchUnits),
    payUnits: Number(payUnits),
    cards: declined === "declined" ? ["declined", "good"] : ["good"],
  };
}

/** The count of tickets left in `file`. */
export function readCount(file: string): number {
  return (JSON.parse(readFileSync(file, "utf8")) as { count: number }).count;
}

/** Tells main.ts this buyer is ready and waits for its "go": the sale opens for all at once. */
export function saleOpens(): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (m: { type?: string }) => {
      if (m.type !== "go") return;
      process.off("message", onMessage);
      resolve();
    };
    process.on("message", onMessage);
    process.send!({ type: "ready" });
  });
}

/** Searches: waits, then reads the count and prints it. Only reads, so it needs no lock. */
export async function search(visit: Visit): Promise<void> {
  console.log(`${visit.me}: searching`);
  await sleep(visit.searchUnits * UNIT_MS);
  console.log(`${visit.me}: sees ${readCount(visit.file)} left`);
}

/**
 * Buys one ticket with `card`, if one is left: reads the count, pays, and
 * writes the count minus one with `writeCount`. Throws if the card is
 * declined (after the payment time, before anything is written).
 */
export async function buy(visit: Visit, card: Card, writeCount: WriteCount): Promise<void> {
  const count = readCount(visit.file);
  if (count <= 0) {
    console.log(`${visit.me}: sold out`);
    return;
  }
  console.log(`${visit.me}: paying`);
  // The payment takes a while: any buyer who reads the count now reads one that is about to change.
  await sleep(visit.payUnits * UNIT_MS);
  if (card === "declined") throw new Error("card declined");
  writeCount(visit.file, count - 1);
  console.log(`${visit.me}: bought a ticket`);
}

/**
 * Calls `attempt` with each of the visit's cards in turn until one attempt
 * does not throw; prints why each failed attempt failed.
 */
export async function tryCards(visit: Visit, attempt: (card: Card) => Promise<void>): Promise<void> {
  for (const card of visit.cards) {
    try {
      return await attempt(card);
    } catch (err) {
      console.log(`${visit.me}: ${(err as Error).message}, tries another card`);
    }
  }
}
