// Kata 24: a mapper, one process of the pool.
//
//   mapper.ts <work folder> <reducers>     (forked by main.ts's pool)
//
// Takes input files from main.ts one at a time ({ file }), counts the words
// of each, and splits the counts into one part per reducer: every word goes
// to the part partitionOf() gives it. Writes each part to the work folder,
// then reports the file mapped. It ends when main.ts lets go of it.
// Done when `npm run kata -- run 24` passes (README.md says what the tests check).
import { basename } from "node:path";
import { type Counts, type MapTask, partPath, writeCounts } from "./job.ts";
import { readWords, reportMapped } from "./words.ts";

const workDir = process.argv[2];
const reducers = Number(process.argv[3]);

/** The reducer that gets `word`, from 0 to count - 1. */
export function partitionOf(word: string, count: number): number {
  // TODO: the same number for the same word in every mapper and for every
  // file, or one word's counts end up split between reducers.
  void word;
  void count;
  return 0;
}

process.on("message", async (task: MapTask) => {
  const words = await readWords(task.file);
  // TODO: count the words, in one part (Counts) for each partition: each
  // word in the part partitionOf() gives it. Write every part with writeCounts() to
  // partPath(workDir, name, r); the name is yours (the README says what
  // becomes of it when a file is mapped again).
  const parts = new Map<number, Counts>();
  void words;
  void parts;
  void basename;
  void partPath;
  void writeCounts;
  void workDir;
  void reducers;
  // Only once every part is written.
  reportMapped(task.file);
});
