// Kata 12: the parts of the sale that are given: its arguments, the opening
// (every buyer looks first, then the sale opens to all at once) and the
// seller's account at the end. The stock itself is not here: main.ts owns it.
import type { ChildProcess } from "node:child_process";

/** The buyer program, given complete. */
export const BUYER = new URL("./buyer.ts", import.meta.url).pathname;

/** What a buyer sends: first a "search", later a "buy". */
export type Request = { kind: "search" | "buy" };

/** The sale main.ts was asked to run, and its given steps. */
export interface Sale {
  /** How many buyers to fork: main.ts's first argument (default 6). */
  buyerCount: number;
  /** How many tickets there are at the start: its second argument (default 2). */
  stock: number;
  /** The buyers forked so far: push each one here, so that the sale opens to all of them. */
  buyers: ChildProcess[];
  /** Answers a "search" with the tickets left; when every buyer has searched, opens the sale to all. */
  search(buyer: ChildProcess, left: number): void;
  /** Prints `seller: sold <sold>, <left> left, <buyers> buyers served` when this process exits. */
  reportAtExit(account: () => { sold: number; left: number }): void;
}

/** The sale of `args` ([buyers=6] [stock=2]), before any buyer is forked. */
export function startSale(args = process.argv.slice(2)): Sale {
  const buyerCount = Number(args[0] ?? "6");
  const buyers: ChildProcess[] = [];
  let searches = 0;
  return {
    buyerCount,
    stock: Number(args[1] ?? "2"),
    buyers,
    search(buyer, left) {
      buyer.send({ kind: "left", left });
      // The sale opens once everyone has looked, so that buyers really compete.
      if (++searches === buyerCount) for (const b of buyers) b.send({ kind: "open" });
    },
    reportAtExit(account) {
      process.on("exit", () => {
        const { sold, left } = account();
        console.log(`seller: sold ${sold}, ${left} left, ${buyerCount} buyers served`);
      });
    },
  };
}
