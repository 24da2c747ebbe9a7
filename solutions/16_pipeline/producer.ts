// Kata 16: the producer, the start of the pipeline (reference solution).
//
// Writes every record (records.ts) to stdout, a batch of 64 KiB at a time.
// Its reader may be slow: the consumer at the end of the pipeline warms up
// before it reads a byte, and the filter in between reads only as fast as the
// consumer does. The producer's memory stays small however slow its reader is:
// it writes a batch only when there is room for it.
import { once } from "node:events";
import { batch, BATCH_RECORDS, RECORDS } from "./records.ts";

const BATCHES = Math.ceil(RECORDS / BATCH_RECORDS);

for (let n = 0; n < BATCHES; n++) {
  // write() never blocks: when the pipe is full it queues the bytes here and
  // returns false. Waiting for "drain" before the next batch is back-pressure:
  // at most one batch waits in this process, and a slow reader slows the
  // producer down instead of filling its memory.
  if (!process.stdout.write(batch(n))) await once(process.stdout, "drain");
}
