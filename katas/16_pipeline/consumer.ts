// Kata 16: the consumer, the end of the pipeline (given whole).
//
// A slow starter: it waits WARM_UP_UNITS units of time before it reads a byte
// (think of a database connecting), then stores each record it gets and
// acknowledges it on stdout, one line each: `stored 0000012`. Its output is
// several times larger than a pipe holds, so whoever started it must read it
// while it runs. pipeline() passes back-pressure along in both directions.
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { idOf } from "./records.ts";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
const WARM_UP_UNITS = 4;

await sleep(WARM_UP_UNITS * UNIT_MS);
console.error(`consumer: pid ${process.pid} warmed up, reading`);

async function* acknowledge(): AsyncGenerator<string> {
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    yield `stored ${String(idOf(line)).padStart(7, "0")}\n`;
  }
}

await pipeline(Readable.from(acknowledge()), process.stdout);
