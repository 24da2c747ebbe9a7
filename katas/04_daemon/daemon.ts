// Kata 04: the daemon child. It serves the program that started it: duty.ts
// (given) sets it up for a few units, then keeps it on duty far longer than
// the program runs. It has no reason to live once its parent is gone.
// Done when: `npm run kata -- run 04` passes. Run it alone with
//   node --import tsx katas/04_daemon/daemon.ts
import { setUp, standBy } from "./duty.ts";

// TODO: end this process as soon as its parent is gone, whatever ended the
// parent (the end of its work, SIGTERM, SIGKILL) and whenever that happens:
// during the set-up below, or even before this file began to run. Nothing runs
// in a parent killed by SIGKILL, so only the daemon itself can notice.

await setUp();
standBy();
