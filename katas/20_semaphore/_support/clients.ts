// Private helpers of kata 20's tests: the server and its clients, each a run
// of its own (the clients are no children of the server), and their jobs on
// one clock, the test process's own.
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { type Probe, REPLY_MS, told, welcomed } from "./probe.ts";
import { setTimeout as sleep } from "node:timers/promises";
import {
  aliveInterval,
  fail,
  type Interval,
  type KataProgram,
  type ProcessRecord,
  type RunningProgram,
  type RunResult,
  tempDir,
} from "../../../harness/mod.ts";

/** How long clients may all wait, with no job running and nothing happening, before the test gives up on them. */
export const STALL_MS = 15_000;
const POLL_MS = 50;

/** A running server and the path of its socket. */
export interface Server {
  path: string;
  running: RunningProgram;
}

/** Starts the server with `permits` and `key` on a socket of its own; resolves once it listens. */
export async function startServer(program: KataProgram, permits: number, key: string): Promise<Server> {
  const path = join(tempDir("kata20-"), "s");
  const running = program.start("server.ts", { args: [path, String(permits)], env: { SEMAPHORE_KEY: key } });
  await running.waitForLine(/^server: listening/).catch((err: Error) => fail(err.message));
  return { path, running };
}

/** A client run, with the moment its run started on the test's clock. */
export interface Client {
  name: string;
  running: RunningProgram;
  /** performance.now() of the test process when the run's clock read 0. */
  t0: number;
}

/** Starts client.ts on `path` with `key` (none: no SEMAPHORE_KEY at all) to run `command`. */
export function startClient(program: KataProgram, name: string, path: string, key: string | undefined, command: string[]): Client {
  const env: Record<string, string> = key === undefined ? {} : { SEMAPHORE_KEY: key };
  const running = program.start("client.ts", { args: [path, "--", ...command], env });
  return { name, running, t0: performance.now() - running.now() };
}

/** The client's job: its child running `sleep`, if it ever had one. */
export function jobProcess(records: ProcessRecord[], clientPid: number): ProcessRecord | undefined {
  return records.find((p) => p.ppid === clientPid && p.argv[0] === "sleep");
}

/** When the client's job was surely alive, on the test's clock. */
export function jobLife(client: Client, r: RunResult): Interval | undefined {
  const job = jobProcess(r.tree, r.pid);
  if (!job) return undefined;
  const life = aliveInterval(job, `${client.name}'s job (pid ${job.pid})`);
  return { ...life, start: life.start + client.t0, end: life.end + client.t0 };
}

/** The most intervals alive at one moment, and which. */
export function mostAtOnce(intervals: Interval[]): Interval[] {
  let most: Interval[] = [];
  for (const i of intervals) {
    const together = intervals.filter((j) => j.start <= i.start && i.start <= j.end);
    if (together.length > most.length) most = together;
  }
  return most;
}

/**
 * Waits for every client to end. If some client has asked for a permit, none
 * has a job running, and nothing has happened for STALL_MS, the waiting ones
 * are stopped (as at a deadline) and `stalled` says so.
 */
export async function finishAll(clients: Client[]): Promise<{ results: RunResult[]; stalled: boolean }> {
  const over = new Set<Client>();
  for (const c of clients) c.running.result.then(() => over.add(c), () => over.add(c));
  let progress = "";
  let since = Date.now();
  let stalled = false;
  while (over.size < clients.length) {
    const now = clients.map((c) => `${c.running.lines.length}.${c.running.tree.records().length}`).join(",");
    const asked = clients.some((c) => c.running.lines.some((l) => l.text === "client: asked for a permit"));
    const working = clients.some((c) => c.running.tree.alive().some((p) => p.ppid === c.running.pid && p.argv[0] === "sleep"));
    if (now !== progress || !asked || working) {
      progress = now;
      since = Date.now();
    } else if (Date.now() - since > STALL_MS) {
      stalled = true;
      await Promise.all(clients.filter((c) => !over.has(c)).map((c) => c.running.expire()));
      break;
    }
    await sleep(POLL_MS);
  }
  return { results: await Promise.all(clients.map((c) => c.running.result)), stalled };
}

/** Takes every one of the server's `permits` for the test itself; a lesson if one is not granted. */
export async function holdAll(path: string, key: string, permits: number): Promise<Probe[]> {
  const holds: Probe[] = [];
  for (let i = 1; i <= permits; i++) {
    const hold = await welcomed(path, key, `to take permit ${i} of ${permits}`);
    await hold.send({ kind: "acquire" });
    const reply = await hold.next(REPLY_MS);
    if (reply.kind !== "granted") {
      fail(`The server has ${permits} permit${permits > 1 ? "s" : ""}, and ${i - 1} were held; the test asked for ` +
        `one more and ${told(reply)}.`, {
        hint: "A client that asks while fewer clients than the permits hold one gets a permit at once: grant it.",
      });
    }
    holds.push(hold);
  }
  return holds;
}

/** Waits until every client has said it asked for a permit, or has ended. */
export async function untilAsked(clients: Client[]): Promise<void> {
  const over = new Set<Client>();
  for (const c of clients) c.running.result.then(() => over.add(c), () => over.add(c));
  while (!clients.every((c) => over.has(c) || c.running.lines.some((l) => l.text === "client: asked for a permit"))) {
    await sleep(POLL_MS);
  }
}
