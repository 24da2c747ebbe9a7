// Private helper of kata 24's tests: the input files, made by the test, and
// the counts they must give. Each file has the words every file has, in an
// order of its own, and one word that only it has, as many times as its
// number plus two: how many times that word was counted says how many times
// its file was.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export const FILE_COUNT = 12;
/** Words found in every file, each a number of times that depends on the file. */
const COMMON = [
  "amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "heron", "inlet", "juniper", "kelp", "lichen",
  "maple", "nettle", "otter", "pine", "quartz", "raven", "sedge", "thorn", "umber", "violet", "willow", "yarrow",
];
const WORDS_A_LINE = 10;

/** The name of input file `i` (1-based): file-01.txt ... */
export function fileName(i: number): string {
  return `file-${String(i).padStart(2, "0")}.txt`;
}

/** The word that only file `i` has. */
export function ownWord(i: number): string {
  return `only${String(i).padStart(2, "0")}`;
}

/** How many times file `i` holds its own word. */
export function ownCount(i: number): number {
  return i + 2;
}

function commonCount(i: number, j: number): number {
  return 1 + ((i * 5 + j * 3) % 7);
}

/** A small seeded generator (mulberry32), so that every run makes the same files. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The words of file `i`, shuffled: each file meets the common words in an order of its own. */
function wordsOf(i: number): string[] {
  const words = COMMON.flatMap((w, j) => Array<string>(commonCount(i, j)).fill(w));
  words.push(...Array<string>(ownCount(i)).fill(ownWord(i)));
  const next = random(i * 7919);
  for (let k = words.length - 1; k > 0; k--) {
    const m = Math.floor(next() * (k + 1));
    [words[k], words[m]] = [words[m], words[k]];
  }
  return words;
}

/** Writes the input files into `dir`; returns every word's expected count. */
export function writeInput(dir: string): Map<string, number> {
  const expected = new Map<string, number>();
  for (let i = 1; i <= FILE_COUNT; i++) {
    const words = wordsOf(i);
    for (const w of words) expected.set(w, (expected.get(w) ?? 0) + 1);
    const lines: string[] = [];
    for (let k = 0; k < words.length; k += WORDS_A_LINE) lines.push(words.slice(k, k + WORDS_A_LINE).join(" "));
    writeFileSync(join(dir, fileName(i)), lines.join("\n") + "\n");
  }
  return expected;
}
