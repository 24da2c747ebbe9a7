// Kata 24: a reducer, one process for each partition.
//
//   reducer.ts <work folder> <r>     (forked by main.ts once the map phase is over)
//
// Reads every mapper output of partition r, adds up each word's counts, and
// writes the totals to reduced-<r>.json. Then it ends.
import { type Counts, partFiles, readCounts, reducedPath, writeCounts } from "./job.ts";

const workDir = process.argv[2];
const r = Number(process.argv[3]);

const totals: Counts = new Map();
const files = partFiles(workDir, r);
for (const file of files) {
  // Each input file that holds the word gave a count of its own: add them,
  // do not keep the last.
  for (const [word, count] of readCounts(file)) totals.set(word, (totals.get(word) ?? 0) + count);
}
writeCounts(reducedPath(workDir, r), totals);
console.log(`reducer ${process.pid}: partition ${r}, ${totals.size} words from ${files.length} files`);
