// Kata 11: what the pool, its workers and main.ts agree on (given complete).

/** A task: its id, and how many units of time its work takes. */
export interface Task {
  id: number;
  units: number;
}

/** What a worker sends back when it has done a task. */
export interface Done {
  id: number;
  /** The pid of the worker that did it. */
  pid: number;
  result: number;
}

/** A running pool of worker processes. */
export interface Pool {
  /** Queues `task`; resolves with its Done once a worker has done it. */
  run(task: Task): Promise<Done>;
  /** Lets every worker end (disconnects them); resolves once all have exited. */
  close(): Promise<void>;
}
