// Kata 24: the map phase, on a pool of mapper processes.
//
// mapFiles() forks `size` mappers once and keeps that many until every file
// is mapped: the files wait in a queue, and each goes to a mapper that is
// idle. A mapper that dies before the end has crashed: a new one takes its
// place, and the file it had goes back in the queue, to be mapped again,
// once. The phase is over when every file is mapped and every mapper has
// ended: then nothing can write into the work folder any more.
// Done when `npm run kata -- run 24` passes (README.md says what the tests check).
import { type ChildProcess, fork } from "node:child_process";
import type { MapTask, Mapped } from "./job.ts";

/** Options of {@link mapFiles}. */
export interface PoolOptions {
  /** How many mapper processes work at once. */
  size: number;
  /** The mapper's file (mapper.ts), forked with `args`. */
  mapper: string;
  args: string[];
}

/** Maps every file on a pool of mappers; resolves once every file is mapped and every mapper has ended. */
export function mapFiles(files: string[], options: PoolOptions): Promise<void> {
  // TODO: fork `options.size` mappers (fork(options.mapper, options.args)),
  // once. Give each idle mapper the next file in the queue ({ file }, a
  // MapTask); its report (a Mapped message) makes it idle again.

  // TODO: a mapper that exits before every file is mapped has crashed: put
  // the file it had (only that one) back in the queue, and fork a mapper in
  // its place.

  // TODO: once every file is reported mapped, close the pool: disconnect each
  // mapper, and resolve only when every one has exited.
  void fork;
  void files;
  void options;
  return Promise.resolve();
}
