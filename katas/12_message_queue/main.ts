// Kata 12: the ticket sale again, with messages instead of a shared file.
//
// This program is the seller: it alone owns the stock, in its own memory. It
// forks one buyer process per customer; each buyer asks over its IPC channel
// and the seller answers. When every buyer has gone, the seller reports and
// ends. No file, no lock.
//   node --import tsx katas/12_message_queue/main.ts [buyers=6] [stock=2]
// Done when: `npm run kata -- run 12` passes.
import { type ChildProcess, fork } from "node:child_process";

const BUYER = new URL("./buyer.ts", import.meta.url).pathname;
const buyerCount = Number(process.argv[2] ?? "6");
let stock = Number(process.argv[3] ?? "2");
let sold = 0;
let searches = 0;
const buyers: ChildProcess[] = [];

type Request = { kind: "search" | "buy" };

/** Answers one request of one buyer. */
function serve(buyer: ChildProcess, request: Request): void {
  if (request.kind === "search") {
    buyer.send({ kind: "left", left: stock });
    // The sale opens once everyone has looked, so that buyers really compete.
    if (++searches === buyerCount) for (const b of buyers) b.send({ kind: "open" });
    return;
  }
  // TODO: a "buy": if a ticket is left, take it (stock down, sold up) and send
  // { kind: "sold", left: stock }; otherwise send { kind: "sold_out" }.
  buyer.send({ kind: "sold_out" });
}

// TODO: fork BUYER buyerCount times, with the buyer's number (1, 2, ...) as its
// argument; push each child onto `buyers` and serve() every message it sends.
// Node keeps this process alive while any buyer runs; the line below runs at "exit".

process.on("exit", () => {
  console.log(`seller: sold ${sold}, ${stock} left, ${buyerCount} buyers served`);
});
