// Kata 12: the ticket sale again, with messages instead of a shared file
// (reference solution).
//
// This program is the seller: it alone owns the stock, in its own memory. It
// forks one buyer process per customer; each buyer asks over its IPC channel
// and the seller answers. When every buyer has gone, the seller reports and
// ends. No file, no lock.
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
  // Messages from every buyer wait in this one event loop and are handled one
  // at a time, each to its end: nothing runs between the check and the
  // decrement, so no lock is needed. (An await in here would break that.)
  if (stock > 0) {
    stock -= 1;
    sold += 1;
    buyer.send({ kind: "sold", left: stock });
  } else {
    buyer.send({ kind: "sold_out" });
  }
}

for (let i = 1; i <= buyerCount; i++) {
  const buyer = fork(BUYER, [String(i)]);
  buyers.push(buyer);
  buyer.on("message", (request: Request) => serve(buyer, request));
}

// Node ends this process once every buyer has ended and its channel closed:
// shutting down cleanly takes no more than answering everyone.
process.on("exit", () => {
  console.log(`seller: sold ${sold}, ${stock} left, ${buyerCount} buyers served`);
});
