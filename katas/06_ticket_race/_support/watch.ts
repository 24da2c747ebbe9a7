// Test helper: watches ticket.json while a sale runs. It reads the file every
// few ms, and keeps every version of it (every inode) it saw open, so that a
// version changed in place, rather than replaced by a rename, shows at the end.
import { closeSync, fstatSync, openSync, readSync, watch } from "node:fs";
import { basename, dirname } from "node:path";

/** How often the file is read, in ms. */
export const WATCH_MS = 2;

/** One read of the file: its count, or why it was not valid. */
export interface Reading {
  /** ms since the watch began. */
  at: number;
  text: string;
  count?: number;
  problem?: string;
}

/** What the watch saw, once stopped. */
export interface WatchReport {
  readings: Reading[];
  /** Reads that were not a JSON object with an integer count. */
  invalid: Reading[];
  /** Versions whose content changed after the watch first read them. */
  changedInPlace: { before: string; after: string }[];
  /** Names of other files that appeared in the file's folder (temporary files), as the kernel reported them. */
  otherNames: string[];
}

/** A running watch; `stop()` takes a last reading and closes every file it held. */
export interface FileWatch {
  stop(): WatchReport;
}

interface Version {
  fd: number;
  text: string;
}

function readAll(fd: number): string {
  const size = fstatSync(fd).size;
  const buffer = Buffer.alloc(size);
  let done = 0;
  while (done < size) {
    const n = readSync(fd, buffer, done, size - done, done);
    if (n === 0) break;
    done += n;
  }
  return buffer.toString("utf8", 0, done);
}

function judge(text: string, at: number): Reading {
  try {
    const value: unknown = JSON.parse(text);
    const count = (value as { count?: unknown } | null)?.count;
    if (typeof count === "number" && Number.isInteger(count)) return { at, text, count };
    return { at, text, problem: "no integer count in it" };
  } catch {
    return { at, text, problem: text === "" ? "the file was empty" : "not valid JSON" };
  }
}

/** Starts watching `path`, which must exist already; `clock` gives the run's time in ms. */
export function watchTicketFile(path: string, clock: () => number): FileWatch {
  const versions = new Map<number, Version>();
  const readings: Reading[] = [];
  const changedInPlace: WatchReport["changedInPlace"] = [];

  function read(): void {
    const at = clock();
    let fd: number;
    try {
      fd = openSync(path, "r");
    } catch (err) {
      readings.push({ at, text: "", problem: `it could not be opened (${(err as NodeJS.ErrnoException).code})` });
      return;
    }
    const ino = fstatSync(fd).ino;
    const text = readAll(fd);
    const known = versions.get(ino);
    if (known) {
      closeSync(fd);
      if (known.text !== text) changedInPlace.push({ before: known.text, after: text });
      known.text = text;
    } else {
      // Held open, this inode cannot be reused for a later version.
      versions.set(ino, { fd, text });
    }
    readings.push(judge(text, at));
  }

  // inotify reports every file made in the folder, even one renamed away a moment later.
  const otherNames = new Set<string>();
  const folder = watch(dirname(path), (_event, name) => {
    if (name && name !== basename(path)) otherNames.add(name);
  });
  read();
  const timer = setInterval(read, WATCH_MS);
  return {
    stop() {
      clearInterval(timer);
      folder.close();
      read();
      for (const v of versions.values()) {
        const now = readAll(v.fd);
        if (now !== v.text) changedInPlace.push({ before: v.text, after: now });
        closeSync(v.fd);
      }
      return {
        readings, invalid: readings.filter((r) => r.problem !== undefined), changedInPlace, otherNames: [...otherNames],
      };
    },
  };
}
