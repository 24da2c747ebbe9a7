// Kata 16: the records that flow down the pipeline (given whole).
//
// The producer writes RECORDS lines of RECORD_BYTES bytes each, newline
// included: a level letter, the record's number, and filler. Every fourth
// record is an error ("E"); the filter keeps those and drops the rest.

/** How many records the producer writes. */
export const RECORDS = 65_536;
/** The size of one record, its newline included. */
export const RECORD_BYTES = 1024;
/** Records built and written at a time by the producer (64 KiB). */
export const BATCH_RECORDS = 64;
/** The level letter of a kept record. */
export const ERROR = "E";

const ID_DIGITS = 7;
const FILLER = "abcdefghijklmnopqrstuvwxyz";

/** Whether record `id` is an error: every fourth one. */
export function isError(id: number): boolean {
  return id % 4 === 0;
}

/** Record `id` as one line: `E 0000012 pqrs...\n`, RECORD_BYTES long. */
export function recordLine(id: number): string {
  const head = `${isError(id) ? ERROR : "I"} ${String(id).padStart(ID_DIGITS, "0")} `;
  const fill = RECORD_BYTES - head.length - 1;
  const start = id % FILLER.length;
  const filler = (FILLER.slice(start) + FILLER.repeat(Math.ceil(fill / FILLER.length) + 1)).slice(0, fill);
  return `${head}${filler}\n`;
}

/** Batch `n`: records n * BATCH_RECORDS up to the next batch, as fresh bytes. */
export function batch(n: number): Buffer {
  const lines: string[] = [];
  for (let id = n * BATCH_RECORDS; id < Math.min((n + 1) * BATCH_RECORDS, RECORDS); id++) lines.push(recordLine(id));
  return Buffer.from(lines.join(""));
}

/** The record's number, from a line that `recordLine` made. */
export function idOf(line: string): number {
  return Number(line.slice(2, 2 + ID_DIGITS));
}
