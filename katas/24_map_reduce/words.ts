// Kata 24: how a mapper reads an input file and reports it mapped (given
// complete, and imported by mapper.ts only). A mapper says on stdout when it
// is ready, and what it does with each file, one line each, so that you can
// follow the job; the tests check each line's pid against the processes the
// kernel showed them.
//
// readWords() and reportMapped() are also where the tests make a mapper die, as a real one could: with
// KATA_CRASH_DIR set, a file `read-<name>` in that folder makes the first
// mapper that reads input file <name> die of SIGKILL halfway through reading
// it, and a file `report-<name>` makes the first mapper that reports <name>
// die just before it reports (its output is written by then). Each marker is
// taken by one mapper only (it deletes the file), so the file's redo goes
// through.
import { unlinkSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Mapped } from "./job.ts";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
const CRASH_DIR = process.env.KATA_CRASH_DIR;

// A mapper loads this file as it starts: once it says so, it is no longer
// loading (which can take seconds on a busy machine), but waiting or working.
console.log(`mapper ${process.pid}: ready`);

/**
 * The words of an input file, lower-cased, in order. Reading takes a unit of
 * time, as if the file were big. Says `mapper <pid>: maps <name>`.
 */
export async function readWords(file: string): Promise<string[]> {
  const name = basename(file);
  console.log(`mapper ${process.pid}: maps ${name}`);
  const text = await readFile(file, "utf8");
  await sleep(UNIT_MS / 2);
  if (takeCrash("read", name)) die(`dies while it reads ${name}`);
  await sleep(UNIT_MS / 2);
  return text.split(/\s+/).filter((word) => word !== "").map((word) => word.toLowerCase());
}

/**
 * Tells main.ts (process.send) that `file` is mapped: call it once every
 * output of the file is written. Says `mapper <pid>: mapped <name>`.
 */
export function reportMapped(file: string): void {
  const name = basename(file);
  if (takeCrash("report", name)) die(`dies before it reports ${name}`);
  console.log(`mapper ${process.pid}: mapped ${name}`);
  // A mapper that main.ts has let go of has nobody to tell.
  if (process.connected) process.send!({ file } satisfies Mapped);
}

/** Whether this process takes the crash marker `<when>-<name>`: only one process can delete it. */
function takeCrash(when: "read" | "report", name: string): boolean {
  if (!CRASH_DIR) return false;
  try {
    unlinkSync(join(CRASH_DIR, `${when}-${name}`));
    return true;
  } catch {
    return false;
  }
}

/** Says how it dies, and dies as a crash would: SIGKILL, which nothing can catch or delay. */
function die(how: string): never {
  console.log(`mapper ${process.pid}: ${how}`);
  process.kill(process.pid, "SIGKILL");
  // The kernel delivers the signal before kill() returns: nothing below runs.
  throw new Error(`mapper ${process.pid} outlived its own SIGKILL`);
}
