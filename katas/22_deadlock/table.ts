// The table's protocol, given whole: how a philosopher asks main.ts's fork
// broker for a fork over its IPC channel, and the seating rule that makes the
// naive dinner's deadlock certain rather than likely.
//
// The seating rule: a philosopher's first request for a fork seats it (main.ts
// hears "seated" right after that request); every later request waits until
// main.ts has heard from everyone and says "eat". So every philosopher has
// reached for its first fork before anyone reaches for a second one, however
// late a process started on a busy machine.
import type { ChildProcess } from "node:child_process";

/** A philosopher's request to the broker, about fork `n`. */
export type ForkRequest = { fork: "take" | "try" | "put"; n: number };
/** The broker's answer to a "take" (once the fork is free) or a "try" (at once). */
export type ForkAnswer = { fork: "granted" | "busy"; n: number };
/** The seating messages between a philosopher and main.ts. */
export type TableMessage = { table: "seated" } | { table: "eat" };

/** Whether `message` is a request the broker serves. */
export function isForkRequest(message: unknown): message is ForkRequest {
  const m = message as Partial<ForkRequest> | null;
  return (m?.fork === "take" || m?.fork === "try" || m?.fork === "put") && Number.isInteger(m.n);
}

let me = 0;
let seated = false;
let everyoneSeated: Promise<void> = Promise.resolve();

/** In a philosopher: joins the table as philosopher `id`; call before any other function here. */
export function joinTable(id: number): void {
  me = id;
  everyoneSeated = new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if ((message as TableMessage | null)?.table !== "eat") return;
      process.off("message", onMessage);
      resolve();
    };
    process.on("message", onMessage);
  });
}

/** In a philosopher: prints `philosopher <id>: <what>`. */
export function say(what: string): void {
  console.log(`philosopher ${me}: ${what}`);
}

/** Waits for fork `n` (the broker queues the request while another holds it); resolves once it is ours. */
export async function take(n: number): Promise<void> {
  await seatingRule();
  say(`asks for fork ${n}`);
  await request({ fork: "take", n });
  say(`holds fork ${n}`);
}

/** Asks for fork `n` without waiting: true if it is ours now, false if another holds it. */
export async function tryTake(n: number): Promise<boolean> {
  await seatingRule();
  say(`tries fork ${n}`);
  const answer = await request({ fork: "try", n });
  say(answer.fork === "granted" ? `holds fork ${n}` : `finds fork ${n} busy`);
  return answer.fork === "granted";
}

/** Puts fork `n` back on the table; resolves once the broker's message is on its way. */
export async function putDown(n: number): Promise<void> {
  say(`puts down fork ${n}`);
  await send({ fork: "put", n });
}

/** In a philosopher: leaves the table; the process can then end. */
export function leaveTable(): void {
  process.removeAllListeners("message");
  // Unref rather than disconnect: Node 20 can crash disconnecting an ES module child with messages in flight.
  process.channel?.unref();
}

/** The first request goes out at once; later ones wait for main.ts's "eat". */
async function seatingRule(): Promise<void> {
  if (seated) await everyoneSeated;
}

/** Sends a request and resolves with the broker's answer about the same fork. */
function request(message: ForkRequest): Promise<ForkAnswer> {
  const first = !seated;
  seated = true;
  const answer = new Promise<ForkAnswer>((resolve, reject) => {
    // Listen before asking, so that the answer cannot arrive unheard.
    const onMessage = (answer: unknown) => {
      const a = answer as Partial<ForkAnswer> | null;
      if ((a?.fork !== "granted" && a?.fork !== "busy") || a.n !== message.n) return;
      process.off("message", onMessage);
      resolve(a as ForkAnswer);
    };
    process.on("message", onMessage);
    send(message).catch(reject);
  });
  // The first request seats us: "seated" follows it on the channel, which keeps the order of messages.
  if (first) send({ table: "seated" }).catch(() => {});
  return answer;
}

function send(message: ForkRequest | TableMessage): Promise<void> {
  if (!process.send) return Promise.reject(new TypeError("Cannot reach the fork broker: no IPC channel to main.ts"));
  return new Promise((resolve, reject) => {
    process.send!(message, undefined, {}, (err: Error | null) => (err ? reject(err) : resolve()));
  });
}

/**
 * In main.ts: waits until every philosopher has reached for its first fork
 * (or ended), then says "eat" to each of them.
 */
export async function seatEveryone(philosophers: ChildProcess[]): Promise<void> {
  await Promise.all(philosophers.map((p) =>
    new Promise<void>((resolve) => {
      const done = () => {
        p.off("message", onMessage);
        p.off("exit", done);
        resolve();
      };
      const onMessage = (message: unknown) => {
        if ((message as TableMessage | null)?.table === "seated") done();
      };
      p.on("message", onMessage);
      p.on("exit", done);
    })
  ));
  console.log("main: everyone is seated");
  for (const p of philosophers) if (p.connected) p.send({ table: "eat" } satisfies TableMessage);
}
