// Kata 13: a Process class in the manner of Python's multiprocessing.Process,
// built on Node's fork().
//
//   const p = new Process({ target: greet, args: ["Ada"], kwargs: { greeting: "hi" }, name: "greeter" });
//   p.start();        // a child process runs p.run(), which calls greet("Ada", { greeting: "hi" })
//   await p.join();   // waits for it to end
//   p.exitcode;       // 0
//
// A subclass may override run() instead of passing a target. main.ts (given,
// but for its guard) uses every member. spawn.ts (given) carries the Process
// object over to the child: read it first.
// Done when: `npm run kata -- run 13` passes.
import { type ChildProcess, fork } from "node:child_process";
import { constants } from "node:os";
import { MAIN, orderFor, whenOrdered } from "./spawn.ts";

/** A function a Process can run: its positional arguments, then the kwargs object. */
export type Target = (...args: never[]) => unknown;

/** Options of the Process constructor, as Python's keyword arguments. */
export interface ProcessOptions {
  /** What run() calls; an exported function of the main module. */
  target?: Target;
  /** Positional arguments of the target. */
  args?: unknown[];
  /** Named arguments of the target: one last argument, an object. */
  kwargs?: Record<string, unknown>;
  /** Shown as the child's process title; "Process-<n>" by default. */
  name?: string;
}

let created = 0;

/** A task that start() runs in a child process of its own. */
export class Process {
  name: string;
  target: Target | undefined;
  args: unknown[];
  kwargs: Record<string, unknown>;
  /** The child, once started (a leading "_" keeps it out of what travels to the child). */
  _child: ChildProcess | undefined;

  constructor(options: ProcessOptions = {}) {
    created++;
    this.name = options.name ?? `Process-${created}`;
    this.target = options.target;
    this.args = options.args ?? [];
    this.kwargs = options.kwargs ?? {};
    this._child = undefined;
  }

  /** The child's pid once started, else undefined. */
  get pid(): number | undefined {
    return this._child?.pid;
  }

  /** Starts a child process that runs this object's run(). Returns at once. */
  start(): void {
    // TODO: fork the main module (MAIN) and keep the child in this._child. Then
    // send the child what to run: orderFor(this) names the target (or this
    // subclass) and carries the data fields, since a function cannot cross to
    // another process.
    void fork;
    void MAIN;
    void orderFor;
  }

  /** What the child does: calls the target. Called directly, it runs here, in this process. */
  run(): unknown {
    // TODO: call the target, if there is one, with the args and then the kwargs
    // object, and return what it returns (a promise, if it is async).
    // Reflect.apply(fn, undefined, argumentList) calls fn with a list of arguments.
    return undefined;
  }

  /** Waits until the child has ended, or `timeoutMs` has passed; either way it resolves. */
  join(timeoutMs?: number): Promise<void> {
    // TODO: resolve when the child's "exit" event fires, or after timeoutMs if
    // one is given, whichever comes first. The event fires only once: a child
    // that has already ended must not be waited for.
    void timeoutMs;
    return Promise.resolve();
  }

  /** True from start() until the child has ended and been reaped, joined or not. */
  isAlive(): boolean {
    // TODO: Node reaps a child as soon as it ends, whether anybody listens or
    // not, and then sets child.exitCode or child.signalCode.
    return false;
  }

  /** null while the child runs (or before start), its exit code, or minus the signal that ended it. */
  get exitcode(): number | null {
    // TODO: as Python says it: null while it runs, the code it exited with, or
    // minus the number of the signal that ended it (constants.signals maps names to numbers).
    void constants;
    return null;
  }

  /** Asks the child to end with SIGTERM, which it may catch; returns at once. */
  terminate(): void {
    // TODO: send the child SIGTERM.
  }
}

/** The child's side: `p` was rebuilt from the parent's order; run it and end. */
async function bootstrap(p: Process): Promise<void> {
  // TODO: show p's name as this process's title (process.title), so that ps
  // and /proc tell the children apart.
  // TODO: run p (its run() may return a promise), then end this process with
  // code 0, as Python's child does when run() returns.
  void p;
}

whenOrdered(Process, bootstrap);
