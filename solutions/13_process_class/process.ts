// Kata 13: a Process class in the manner of Python's multiprocessing.Process,
// built on Node's fork() (reference solution).
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
    if (this._child) throw new Error(`Cannot start ${this.name}: a process can be started only once`);
    // A fresh Node runs the main module again; it inherits this process's
    // loader flags (execArgv) and environment, so spawn.ts knows it is a child.
    this._child = fork(MAIN);
    // A function cannot cross to another process: the order names it, and
    // carries the data fields (name, args, kwargs) as a message.
    this._child.send(orderFor(this));
  }

  /** What the child does: calls the target. Called directly, it runs here, in this process. */
  run(): unknown {
    // Python passes kwargs by name; here they come as one last argument.
    if (this.target) return Reflect.apply(this.target, undefined, [...this.args, this.kwargs]);
  }

  /** Waits until the child has ended, or `timeoutMs` has passed; either way it resolves. */
  join(timeoutMs?: number): Promise<void> {
    const child = this._child;
    if (!child) return Promise.reject(new Error(`Cannot join ${this.name}: it was never started`));
    // "exit" fires once: a child that ended before join() was called would be
    // waited for for ever, so ask first.
    if (!this.isAlive()) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        child.off("exit", done);
        resolve();
      };
      child.once("exit", done);
      const timer = timeoutMs === undefined ? undefined : setTimeout(done, timeoutMs);
    });
  }

  /** True from start() until the child has ended and been reaped, joined or not. */
  isAlive(): boolean {
    const child = this._child;
    // Node reaps every child as soon as it ends, and sets one of these then,
    // whether anybody awaits it or not (Python's is_alive() reaps when asked).
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /** null while the child runs (or before start), its exit code, or minus the signal that ended it. */
  get exitcode(): number | null {
    const child = this._child;
    if (!child) return null;
    if (child.signalCode !== null) return -constants.signals[child.signalCode];
    return child.exitCode;
  }

  /** Asks the child to end with SIGTERM, which it may catch; returns at once. */
  terminate(): void {
    this._child?.kill("SIGTERM");
  }
}

/** The child's side: `p` was rebuilt from the parent's order; run it and end. */
async function bootstrap(p: Process): Promise<void> {
  // The title is this process's own: only the child can set it (in /proc it
  // shows in comm and cmdline).
  process.title = p.name;
  // run() may be async: the child must not end before its work does.
  await p.run();
  // End with 0, as Python's child does when run() returns, even if run() left
  // a timer or a listener behind (an error thrown above ends it with 1).
  process.exit(0);
}

whenOrdered(Process, bootstrap);
