// Kata 12: the ticket sale again, with messages instead of a shared file
// (reference solution).
//
// This program is the seller: it alone owns the stock, in its own memory. It
// forks one buyer process per customer; each buyer asks over its IPC channel
// and the seller answers. When every buyer has gone, the seller reports and
// ends. No file, no lock.
import { type ChildProcess, fork } from "node:child_process";
import { BUYER, type Request, startSale } from "./sale.ts";

const sale = startSale();
let stock = sale.stock;
let sold = 0;

/** Answers one request of one buyer. */
function serve(buyer: ChildProcess, request: Request): void {
  if (request.kind === "search") return sale.search(buyer, stock);
  // Messages from every buyer wait in this one event loop and are handled one
  // at a time, each to its end: nothing runs between the check and the
  // decrement, so no lock is needed. (An await in here would break that.)
  if (stock > 0) {
    stock -= 1;
    sold += 1;
    buyer.send({ kind: "sold", left: stock });
  } else {
    // Sold out is an answer too: a buyer left without one would wait for ever.
    buyer.send({ kind: "sold_out" });
  }
}

// Every buyer is forked before any is waited for: the sale opens only once all
// of them have looked. on(), not once(): a buyer sends more than one message.
for (let i = 1; i <= sale.buyerCount; i++) {
  const buyer = fork(BUYER, [String(i)]);
  sale.buyers.push(buyer);
  buyer.on("message", (request: Request) => serve(buyer, request));
}

// Node ends this process once every buyer has ended and its channel closed:
// shutting down cleanly takes no more than answering everyone.
sale.reportAtExit(() => ({ sold, left: stock }));
