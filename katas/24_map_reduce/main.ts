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
// Done when `npm run kata -- run 24` passes (README.md says what the tests check).
// Run it by hand with
//   node --import tsx katas/24_map_reduce/main.ts <input folder> /tmp/kata24-work
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

// TODO: the reduce phase: fork one reducer (REDUCER, with workDir and its
// partition r as arguments) for each partition, all of them at once, and wait
// until every one has ended (with code 0).
const reducing: ChildProcess[] = [];
void fork;
void once;
void reducing;

// TODO: combine: add up the totals of every reducer (readCounts of
// reducedPath(workDir, r)) into one Counts, write it with
// writeCounts(countsPath(workDir), ...), then print
// `main: counted <total> words, <different> different, from <files> files`.
const counts: Counts = new Map();
void readCounts;
void reducedPath;
void writeCounts;
void countsPath;
void counts;
