// Kata 12: the ticket sale again, with messages instead of a shared file.
//
// This program is the seller: it alone owns the stock, in its own memory. It
// forks one buyer process per customer; each buyer asks over its IPC channel
// and the seller answers. When every buyer has gone, the seller reports and
// ends. No file, no lock. sale.ts (given) does the opening and the report.
//   node --import tsx katas/12_message_queue/main.ts [buyers=6] [stock=2]
// Done when: `npm run kata -- run 12` passes.
import { type ChildProcess, fork } from "node:child_process";
import { BUYER, type Request, startSale } from "./sale.ts";

const sale = startSale();
let stock = sale.stock;
let sold = 0;

/** Answers one request of one buyer. */
function serve(buyer: ChildProcess, request: Request): void {
  if (request.kind === "search") return sale.search(buyer, stock);
  // TODO: a "buy": if a ticket is left, take it (stock down, sold up) and send
  // { kind: "sold", left: stock }; otherwise send { kind: "sold_out" }.
  buyer.send({ kind: "sold_out" });
}

// TODO: fork BUYER sale.buyerCount times, with the buyer's number (1, 2, ...) as
// its argument; push each child onto sale.buyers and serve() every message it sends.
// Node keeps this process alive while any buyer runs; the report comes at "exit".

sale.reportAtExit(() => ({ sold, left: stock }));
