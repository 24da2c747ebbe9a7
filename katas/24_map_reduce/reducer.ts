// Kata 24: a reducer, one process for each partition.
//
//   reducer.ts <work folder> <r>     (forked by main.ts once the map phase is over)
//
// Reads every mapper output of partition r, adds up each word's counts, and
// writes the totals to reduced-<r>.json. Then it ends.
// Done when `npm run kata -- run 24` passes (README.md says what the tests check).
import { type Counts, partFiles, readCounts, reducedPath, writeCounts } from "./job.ts";

const workDir = process.argv[2];
const r = Number(process.argv[3]);

const totals: Counts = new Map();
const files = partFiles(workDir, r);
// TODO: read each of the files (readCounts) into totals: each word's total
// over every file, then write totals with writeCounts(reducedPath(workDir, r), ...).
void readCounts;
void reducedPath;
void writeCounts;
console.log(`reducer ${process.pid}: partition ${r}, ${totals.size} words from ${files.length} files`);
