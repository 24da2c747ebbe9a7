// Private helper of kata 16's tests: the answer, worked out here rather than
// taken from the program's own records.ts, and main.ts's report, parsed.
import type { RunResult } from "../../../harness/mod.ts";

/** The producer's records, as the kata's README says: 65,536 of 1 KiB, every fourth an error. */
export const RECORDS = 65_536;
export const DATA_BYTES = RECORDS * 1024;

/** How many records the consumer must store, and their ids added up. */
export function expectedAnswer(): { count: number; sum: number } {
  let count = 0;
  let sum = 0;
  for (let id = 0; id < RECORDS; id += 4) {
    count++;
    sum += id;
  }
  return { count, sum };
}

const REPORT = /^main: (\d+) records stored, ids adding up to (\d+)$/;

/** The count and sum main.ts printed, if it printed its report line. */
export function reportOf(r: RunResult): { count: number; sum: number } | undefined {
  const line = r.lines.find((l) => l.stream === "stdout" && REPORT.test(l.text));
  if (!line) return undefined;
  const m = REPORT.exec(line.text)!;
  return { count: Number(m[1]), sum: Number(m[2]) };
}
