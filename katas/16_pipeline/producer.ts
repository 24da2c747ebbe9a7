// Kata 16: the producer, the start of the pipeline.
//
// Writes every record (records.ts) to stdout, a batch of 64 KiB at a time.
// Its reader may be slow: the consumer at the end of the pipeline warms up
// before it reads a byte, and the filter in between reads only as fast as the
// consumer does. Done when the producer's memory stays small however slow its
// reader is: it writes a batch only when there is room for it.
import { batch, BATCH_RECORDS, RECORDS } from "./records.ts";

const BATCHES = Math.ceil(RECORDS / BATCH_RECORDS);

// TODO: write batch(0) ... batch(BATCHES - 1) to process.stdout, in order.
// process.stdout.write() returns false when the bytes could not go out at once
// and were queued in this process's memory instead: then wait for its "drain"
// event before you write the next batch (build a batch only when you write it).
void BATCHES;
void batch;
