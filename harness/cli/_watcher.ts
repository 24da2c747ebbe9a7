// Tells watch mode when a file of the kata's folder changes or disappears: by
// the file system's change events, or by polling where those never arrive (a
// WSL clone under /mnt/c, some Docker bind mounts and network file systems).
import { type FSWatcher, readdirSync, statSync, watch } from "node:fs";
import { join } from "node:path";

/** How often polling looks at the folder, in ms. */
export const POLL_MS = 500;

/** A running watcher of one folder. */
export interface FolderWatcher {
  close(): void;
}

/** Options of {@link watchFolder}. */
export interface WatchOptions {
  /** Poll the folder instead of waiting for change events. */
  poll: boolean;
  /** Called when the events stop for good (the folder went away, a limit on watches). */
  onError: (err: Error) => void;
}

/** What polling compares: each entry's size and modification time. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    try {
      const s = statSync(join(dir, name));
      if (s.isFile()) out.set(name, `${s.size}:${s.mtimeMs}`);
    } catch {
      // Gone between listing and looking: the next poll says so.
    }
  }
  return out;
}

/** Calls `onChange` with the name of each file of `dir` (not its subfolders) that changed, appeared or went away. */
export function watchFolder(dir: string, onChange: (name: string) => void, options: WatchOptions): FolderWatcher {
  if (!options.poll) {
    const watcher: FSWatcher = watch(dir, (_event, name) => name && onChange(name));
    watcher.on("error", options.onError);
    return { close: () => watcher.close() };
  }
  let before = snapshot(dir);
  const timer = setInterval(() => {
    const now = snapshot(dir);
    for (const name of new Set([...before.keys(), ...now.keys()])) {
      if (before.get(name) !== now.get(name)) onChange(name);
    }
    before = now;
  }, POLL_MS);
  return { close: () => clearInterval(timer) };
}
