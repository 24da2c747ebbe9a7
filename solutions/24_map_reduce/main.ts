// Kata 24: map-reduce on a pool of processes.
//
//   main.ts <input folder> <work folder> [mappers] [reducers]
//
// Counts the words of every .txt file in the input folder, in three phases:
// map, on a pool of mapper processes (pool.ts, mapper.ts): each file's words
// counted and split by partition into the work folder; reduce, once every
// mapper has ended: one reducer process a partition (reducer.ts), all at once,
// each adding up its words; combine, once every reducer has ended: their
// totals into counts.json.
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Counts, countsPath, readCounts, reducedPath, writeCounts } from "./job.ts";
import { mapFiles } from "./pool.ts";

const MAPPER = new URL("./mapper.ts", import.meta.url).pathname;
const REDUCER = new URL("./reducer.ts", import.meta.url).pathname;
const COUNT = /^[1-9]\d*$/;

const [inputArg, workArg, mappersArg = "3", reducersArg = "3"] = process.argv.slice(2);
if (!inputArg || !workArg || !COUNT.test(mappersArg) || !COUNT.test(reducersArg)) {
  console.error("Usage: main.ts <input folder> <work folder> [mappers] [reducers]");
  process.exit(2);
}
const inputDir = resolve(inputArg);
const workDir = resolve(workArg);
const mappers = Number(mappersArg);
const reducers = Number(reducersArg);
mkdirSync(workDir, { recursive: true });
if (readdirSync(workDir).length > 0) {
  console.error(`Cannot use ${workDir} as the work folder: it is not empty, and what it holds would be counted.`);
  process.exit(2);
}
const files = readdirSync(inputDir).filter((name) => name.endsWith(".txt")).sort().map((name) => join(inputDir, name));
console.log(`main: ${files.length} files, ${mappers} mappers, ${reducers} reducers`);

// The map phase: over when every file is mapped and every mapper has ended.
await mapFiles(files, { size: mappers, mapper: MAPPER, args: [workDir, String(reducers)] });

// Every reducer starts at once: each has a partition of its own, so they
// need nothing from each other.
const reducing: ChildProcess[] = [];
for (let r = 0; r < reducers; r++) reducing.push(fork(REDUCER, [workDir, String(r)]));
// A reducer's output is complete only once it has ended: wait for every one.
const ends = await Promise.all(reducing.map((reducer) => once(reducer, "exit")));
const failed = ends.findIndex(([code]) => code !== 0);
if (failed >= 0) {
  console.error(`main: reducer ${failed} ended with ${ends[failed][1] ?? `code ${ends[failed][0]}`}`);
  process.exit(1);
}

// Combine: each word is in one partition only, but adding (rather than
// copying) keeps the total right whatever the partitions hold.
const counts: Counts = new Map();
for (let r = 0; r < reducers; r++) {
  for (const [word, count] of readCounts(reducedPath(workDir, r))) counts.set(word, (counts.get(word) ?? 0) + count);
}
writeCounts(countsPath(workDir), counts);
const total = [...counts.values()].reduce((a, b) => a + b, 0);
console.log(`main: counted ${total} words, ${counts.size} different, from ${files.length} files`);
