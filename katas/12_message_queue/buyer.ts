// A buyer for kata 12, given complete: asks the seller (its parent) over the IPC
// channel how many tickets are left, waits for the sale to open, then asks to
// buy one at once, as every other buyer does.
//
// Buyer to seller: { kind: "search" }, later { kind: "buy" }.
// Seller to buyer: { kind: "left", left }, then { kind: "open" } once every buyer
// has searched, then { kind: "sold", left } or { kind: "sold_out" }.
const id = process.argv[2] ?? "?";

type Message = { kind: "left" | "open" | "sold" | "sold_out"; left?: number };

// Messages can arrive back to back, before anyone waits for the second: keep
// them in an inbox (a queue) rather than listening for one at a time.
const inbox: Message[] = [];
let waiting: ((m: Message) => void) | undefined;
process.on("message", (m: Message) => {
  if (waiting) {
    const deliver = waiting;
    waiting = undefined;
    deliver(m);
  } else {
    inbox.push(m);
  }
});

/** The next message from the seller. */
function next(): Promise<Message> {
  const m = inbox.shift();
  return m ? Promise.resolve(m) : new Promise((resolve) => (waiting = resolve));
}

process.send!({ kind: "search" });
const seen = await next();
console.log(`buyer ${id} (pid ${process.pid}): sees ${seen.left} left`);
await next(); // the sale opens for everyone at once, and everyone asks at once
process.send!({ kind: "buy" });
const answer = await next();
console.log(answer.kind === "sold"
  ? `buyer ${id} (pid ${process.pid}): bought a ticket, ${answer.left} left`
  : `buyer ${id} (pid ${process.pid}): sold out`);
// The open IPC channel would keep this process alive: let go of it so it ends.
process.channel?.unref();
