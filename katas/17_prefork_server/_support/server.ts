// Private helper of kata 17's tests: the running server as the kernel shows
// it: its workers (children of the primary running worker.ts), who holds the
// listening socket, and samples of both taken while clients come and go.
import { setTimeout as sleep } from "node:timers/promises";
import {
  currentParent,
  describeEnd,
  fail,
  type KataProgram,
  type ProcessRecord,
  type RunningProgram,
  socketsHeld,
  stderrTail,
} from "../../../harness/mod.ts";

/** The number of workers main.ts keeps (its WORKERS). */
export const WORKERS = 2;
/** How long the server may take to print its ready line: three tsx workers start on a loaded machine. */
const READY_MS = 90_000;
const SAMPLE_MS = 50;

/** The server while it runs. */
export interface Server {
  running: RunningProgram;
  port: number;
}

/** Starts main.ts and waits for its ready line; a failed check if it never comes. */
export async function startServer(program: KataProgram): Promise<Server> {
  const running = program.start("main.ts");
  try {
    const line = await running.waitForLine(/^server: listening on 127\.0\.0\.1 port \d+$/, { timeoutMs: READY_MS });
    return { running, port: Number(/port (\d+)$/.exec(line.text)![1]) };
  } catch {
    running.kill("SIGKILL");
    const r = await running.result;
    const tail = stderrTail(r);
    return fail(
      `main.ts ${describeEnd(r)} without printing its ready line "server: listening on 127.0.0.1 port <port>".` +
        (tail ? ` The end of its stderr:\n${tail}` : ""),
      { hint: "Fork the workers with cluster.fork(), and print the line from cluster's \"listening\" event." },
    );
  }
}

/** One look at the server: who is alive, which are workers, who holds the listening socket. */
export interface Look {
  at: number;
  /** Every live process of the run, the primary included. */
  alive: number[];
  /** Live children of the primary running worker.ts. */
  workers: number[];
  /** Live processes holding the listening socket (the primary or workers). */
  holders: number[];
}

export function isWorker(s: Server, p: ProcessRecord): boolean {
  return currentParent(p) === s.running.pid && p.argv.some((a) => a.endsWith("worker.ts"));
}

/** Looks at the server now, after a fresh sample of the tree. */
export function look(s: Server): Look {
  s.running.tree.sample();
  const live = s.running.tree.alive();
  const alive = live.map((p) => p.pid);
  const held = socketsHeld(alive);
  const holders = alive.filter((pid) =>
    held?.get(pid)?.some((k) => k.protocol === "tcp" && k.localPort === s.port && k.remotePort === 0)
  );
  return { at: s.running.now(), alive, workers: live.filter((p) => isWorker(s, p)).map((p) => p.pid), holders };
}

/** Looks taken every SAMPLE_MS while `work` runs, and its result. */
export async function lookWhile<T>(s: Server, work: Promise<T>): Promise<{ value: T; looks: Look[] }> {
  const looks: Look[] = [];
  let done = false;
  const value = work.finally(() => (done = true));
  while (!done) {
    looks.push(look(s));
    await Promise.race([value.catch(() => {}), sleep(SAMPLE_MS)]);
  }
  looks.push(look(s));
  return { value: await value, looks };
}

/** Waits until `ok(look)` holds, looking every SAMPLE_MS; the last look, and whether it held. */
export async function waitFor(s: Server, ok: (l: Look) => boolean, timeoutMs: number, looks: Look[] = []): Promise<{ held: boolean; last: Look }> {
  const start = s.running.now();
  for (;;) {
    const l = look(s);
    looks.push(l);
    if (ok(l)) return { held: true, last: l };
    if (s.running.now() - start > timeoutMs) return { held: false, last: l };
    await sleep(SAMPLE_MS);
  }
}

/** The live process holding the server's end of the connection from client port `clientPort`. */
export function holderOf(s: Server, clientPort: number): number | undefined {
  const l = look(s);
  const held = socketsHeld(l.alive);
  return l.alive.find((pid) =>
    held?.get(pid)?.some((k) => k.protocol === "tcp" && k.localPort === s.port && k.remotePort === clientPort)
  );
}

/** The largest of `f(look)` over the looks, with the look where it was reached. */
export function most(looks: Look[], f: (l: Look) => number): { value: number; look: Look | undefined } {
  let best: { value: number; look: Look | undefined } = { value: -Infinity, look: undefined };
  for (const l of looks) if (f(l) > best.value) best = { value: f(l), look: l };
  return best;
}
