// Kata 13: how a child learns what to run. Given whole: process.ts uses it.
//
// Python's "spawn" start method (the default on macOS and Windows) starts a
// fresh interpreter that imports the main module again, under another name, so
// that `if __name__ == "__main__":` is false there. It then unpickles the
// Process object it was sent: a function or a class travels as its *name*, to
// be found again in that module; plain data travels as data. Node's fork() is
// the same kind of start: a fresh Node runs the main module again, and only
// messages cross over. So here:
//   - isMainProcess() is this program's `__name__ == "__main__"`;
//   - orderFor() is what start() sends: the name of the target function (or of
//     the Process subclass) and the object's data fields;
//   - whenOrdered() is the child's side: it finds that name among the main
//     module's exports, rebuilds the object, and hands it to your code.
// And, as Python does, a child may not start processes while it still runs the
// main module's top level: orderFor() throws there. (This kata allows no
// grandchildren at all: one that starts anyway stops at once.)
import { pathToFileURL } from "node:url";

/** The main module: the file Node was started with. A child runs it again. */
export const MAIN = process.argv[1];

/** How many start()s deep this process is: 0 in the main process, 1 in its children. */
const DEPTH_VAR = "KATA_PROCESS_DEPTH";
const depth = Number(process.env[DEPTH_VAR] ?? 0);
/** A grandchild means the main module started children while a child ran it. */
const MAX_DEPTH = 2;

// A brake, not part of the exercise: a chain of processes that each start the
// next (main.ts unguarded) stops at the grandchildren of the main process.
if (depth >= MAX_DEPTH) {
  console.error(
    `spawn.ts: pid ${process.pid} is a grandchild of the main process; it stops here. Every child runs the ` +
      `main module from the top: the code that starts children needs the isMainProcess() guard.`,
  );
  process.exit(70);
}
// Children inherit the environment: theirs says one level deeper.
process.env[DEPTH_VAR] = String(depth + 1);

/** Whether this child has its order and has run the main module's top level. */
let ordered = false;

/** True in the process you started by hand; false in a child that start() made. */
export function isMainProcess(): boolean {
  return depth === 0;
}

/** What start() sends to the child: enough to rebuild the Process object there. */
export interface StartOrder {
  /** The exported name of the target function, or of the Process subclass. */
  exportName: string;
  /** Whether exportName is a target function (else it is the object's class). */
  isTarget: boolean;
  /** The object's own data fields (name, args, kwargs, a subclass's own fields). */
  fields: Record<string, unknown>;
}

/**
 * The order that rebuilds `p` in a child. Functions cannot cross a process
 * boundary, so the target (or the class) goes by name, and fields whose name
 * starts with "_" (this process's handles) stay behind. Throws in a child that
 * has not yet received its own order.
 */
export function orderFor(p: { target?: unknown }): StartOrder {
  // Python raises the same error when a child starts a process while it is
  // still importing the main module.
  if (!isMainProcess() && !ordered) {
    throw new Error(
      `spawn.ts: pid ${process.pid}, a child, tried to start a process while still running the main module's ` +
        `top level, before it got its own order. The code that starts children needs the isMainProcess() guard.`,
    );
  }
  const fields = Object.fromEntries(
    Object.entries(p).filter(([key, value]) => !key.startsWith("_") && typeof value !== "function"),
  );
  if (typeof p.target === "function") return { exportName: p.target.name, isTarget: true, fields };
  return { exportName: p.constructor.name, isTarget: false, fields };
}

/**
 * In a child: waits for the parent's order, finds its name among the main
 * module's exports, rebuilds the object (without calling its constructor, as
 * unpickling does) and calls `then` with it. Does nothing in the main process.
 */
export function whenOrdered<T extends object>(base: abstract new (...args: never[]) => T, then: (p: T) => unknown): void {
  if (isMainProcess()) return;
  process.once("message", async (order: StartOrder) => {
    // Resolves once the main module has run its top level here.
    const main = (await import(pathToFileURL(MAIN).href)) as Record<string, unknown>;
    ordered = true;
    const found = main[order.exportName];
    if (typeof found !== "function") {
      throw new ReferenceError(
        `Cannot run "${order.exportName}" in pid ${process.pid}: ${MAIN} exports no function or class of that ` +
          `name. A target (or a Process subclass) crosses to the child by name: export it from the main module.`,
      );
    }
    const proto = (order.isTarget ? base.prototype : found.prototype) as object;
    const p = Object.assign(Object.create(proto) as T, order.fields, order.isTarget ? { target: found } : {});
    await then(p);
  });
}
