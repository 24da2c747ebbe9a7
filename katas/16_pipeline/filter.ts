// Kata 16: the filter, the middle of the pipeline (given whole).
//
// Reads records on stdin and writes the error records ("E ...") to stdout,
// dropping the rest, like `grep '^E'`. pipeline() passes back-pressure along:
// when stdout is full it stops reading stdin, so a slow reader downstream
// slows this process down instead of filling its memory.
import { pipeline } from "node:stream/promises";
import { Transform } from "node:stream";
import { ERROR } from "./records.ts";

const NEWLINE = 0x0a;
const KEEP = ERROR.charCodeAt(0);

let rest = Buffer.alloc(0);
const keepErrors = new Transform({
  transform(chunk: Buffer, _encoding, done) {
    const data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    const kept: Buffer[] = [];
    let start = 0;
    for (let end = data.indexOf(NEWLINE); end >= 0; end = data.indexOf(NEWLINE, start)) {
      if (data[start] === KEEP) kept.push(data.subarray(start, end + 1));
      start = end + 1;
    }
    // A record cut in two by the chunk boundary waits for its second half.
    rest = Buffer.from(data.subarray(start));
    done(null, kept.length > 0 ? Buffer.concat(kept) : undefined);
  },
});

await pipeline(process.stdin, keepErrors, process.stdout);
