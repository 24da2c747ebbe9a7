// Kata 24: the map phase, on a pool of mapper processes.
//
// mapFiles() forks `size` mappers once and keeps that many until every file
// is mapped: the files wait in a queue, and each goes to a mapper that is
// idle. A mapper that dies before the end has crashed: a new one takes its
// place, and the file it had goes back in the queue, to be mapped again,
// once. The phase is over when every file is mapped and every mapper has
// ended: then nothing can write into the work folder any more.
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
  return new Promise((resolve) => {
    const queue = [...files];
    const idle: ChildProcess[] = [];
    // The file each busy mapper has: what goes back in the queue if it dies.
    const busy = new Map<ChildProcess, string>();
    const mapped = new Set<string>();
    const alive = new Set<ChildProcess>();
    let closing = false;

    function addMapper(): void {
      const mapper = fork(options.mapper, options.args);
      alive.add(mapper);
      mapper.on("message", (message: Mapped) => {
        mapped.add(message.file);
        busy.delete(mapper);
        idle.push(mapper);
        next();
      });
      // A send to a mapper that has just died fails here; its "exit" below deals with the loss.
      mapper.on("error", () => {});
      mapper.once("exit", () => {
        alive.delete(mapper);
        if (idle.includes(mapper)) idle.splice(idle.indexOf(mapper), 1);
        const file = busy.get(mapper);
        busy.delete(mapper);
        if (!closing) {
          // A crash: only the file it had is lost (those it reported are on
          // disk), so that one goes first in line, and a new mapper keeps the
          // pool at its size.
          if (file !== undefined) queue.unshift(file);
          addMapper();
          next();
        }
        if (closing && alive.size === 0) resolve();
      });
      // A message sent before the mapper has loaded waits in its IPC channel.
      idle.push(mapper);
    }

    function next(): void {
      while (idle.length > 0 && queue.length > 0) {
        const mapper = idle.shift()!;
        const file = queue.shift()!;
        busy.set(mapper, file);
        mapper.send({ file } satisfies MapTask);
      }
      // Every file mapped: close the pool. A mapper whose channel is closed
      // has nothing left to wait for, so it ends; the phase is over when all have.
      if (mapped.size === files.length && !closing) {
        closing = true;
        for (const mapper of alive) mapper.disconnect();
      }
    }

    for (let i = 0; i < options.size; i++) addMapper();
    next();
  });
}
