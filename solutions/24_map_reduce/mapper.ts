// Kata 24: a mapper, one process of the pool.
//
//   mapper.ts <work folder> <reducers>     (forked by main.ts's pool)
//
// Takes input files from main.ts one at a time ({ file }), counts the words
// of each, and splits the counts into one part per reducer: every word goes
// to the part partitionOf() gives it. Writes each part to the work folder,
// then reports the file mapped. It ends when main.ts lets go of it.
import { basename } from "node:path";
import { type Counts, type MapTask, partPath, writeCounts } from "./job.ts";
import { readWords, reportMapped } from "./words.ts";

const workDir = process.argv[2];
const reducers = Number(process.argv[3]);

/**
 * The reducer that gets `word`. It must be the same in every process and for
 * every file, or one word's counts would be split between reducers: a hash of
 * the word's own characters (FNV-1a), with nothing per process in it (no
 * random seed, no order of arrival).
 */
export function partitionOf(word: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) {
    hash ^= word.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // Math.imul gives a signed 32-bit number: read it unsigned, so that the
  // remainder is never negative (a partition no reducer reads).
  return (hash >>> 0) % count;
}

process.on("message", async (task: MapTask) => {
  const words = await readWords(task.file);
  // One part for each partition that has words, by partition number.
  const parts = new Map<number, Counts>();
  for (const word of words) {
    const r = partitionOf(word, reducers);
    const part = parts.get(r) ?? new Map<string, number>();
    parts.set(r, part);
    part.set(word, (part.get(word) ?? 0) + 1);
  }
  // Named after the input file, not after this mapper: if the file is mapped
  // again (its mapper died before it reported), the redo replaces these files
  // instead of adding a second copy beside them. The same words give the same
  // parts, so a redo writes over every file the dead mapper could have left.
  for (const [r, part] of parts) writeCounts(partPath(workDir, basename(task.file), r), part);
  // Only once every part is on disk: a file reported mapped is never mapped again.
  reportMapped(task.file);
});
