// Private helper of kata 17's tests: TCP clients of the echo server, one
// exchange each, always with a deadline, and a loop of them that tallies how
// each connection went.
import { connect, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/** How one exchange went: answered right, refused, cut before the answer, wrong, or no answer in time. */
export type Outcome = "ok" | "refused" | "cut" | "wrong" | "timeout";

/** How long one exchange may take; a loaded machine can hold a worker back for seconds. */
export const EXCHANGE_MS = 30_000;

/** Connects, sends `text`, expects it back shouted, and leaves. */
export function exchange(port: number, text: string, timeoutMs = EXCHANGE_MS): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const want = text.toUpperCase();
    let got = "";
    let connected = false;
    const timer = setTimeout(() => finish("timeout"), timeoutMs);
    function finish(outcome: Outcome): void {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    }
    socket.on("connect", () => {
      connected = true;
      socket.write(text);
    });
    socket.on("data", (chunk: Buffer) => {
      got += chunk.toString("latin1");
      if (got.length >= want.length) finish(got === want ? "ok" : "wrong");
    });
    socket.on("error", (err: NodeJS.ErrnoException) => finish(!connected && err.code === "ECONNREFUSED" ? "refused" : "cut"));
    socket.on("close", () => finish("cut"));
  });
}

/** Counts of each outcome. */
export type Tally = Record<Outcome, number>;

export function emptyTally(): Tally {
  return { ok: 0, refused: 0, cut: 0, wrong: 0, timeout: 0 };
}

/** "180 answered, 2 refused, ..." for messages (zeros left out). */
export function describeTally(t: Tally): string {
  const words: Record<Outcome, string> = { ok: "answered", refused: "refused", cut: "cut off unanswered", wrong: "answered wrongly", timeout: "unanswered in time" };
  return (Object.keys(words) as Outcome[]).filter((k) => t[k] > 0).map((k) => `${t[k]} ${words[k]}`).join(", ") || "none";
}

/** Runs `count` exchanges, `parallel` at a time. */
export async function clientWaves(port: number, count: number, parallel: number): Promise<Tally> {
  const tally = emptyTally();
  for (let i = 0; i < count; i += parallel) {
    const wave = Array.from({ length: Math.min(parallel, count - i) }, (_, j) => exchange(port, `client ${i + j}`));
    for (const outcome of await Promise.all(wave)) tally[outcome]++;
  }
  return tally;
}

/** A loop of clients running until stopped: `parallel` at a time, back to back. */
export interface ClientLoop {
  tally: Tally;
  /** Stops starting new clients and waits for the ones under way. */
  stop(): Promise<Tally>;
}

const LOOP_GAP_MS = 10;

export function startClientLoop(port: number, parallel = 2): ClientLoop {
  const tally = emptyTally();
  let running = true;
  let n = 0;
  async function lane(): Promise<void> {
    while (running) {
      tally[await exchange(port, `loop ${n++}`)]++;
      await sleep(LOOP_GAP_MS);
    }
  }
  const lanes = Array.from({ length: parallel }, lane);
  return {
    tally,
    async stop() {
      running = false;
      await Promise.all(lanes);
      return tally;
    },
  };
}

/** A connection kept open across a change of the server, to see whether it survives. */
export interface HeldClient {
  socket: Socket;
  /** The client's own port: the server's end of the connection has it as its remote port. */
  localPort: number;
}

/** Connects and completes one exchange on a connection that then stays open. */
export function holdConnection(port: number, text: string): Promise<HeldClient> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const timer = setTimeout(() => fail(new Error(`no answer to "${text}" in ${EXCHANGE_MS} ms`)), EXCHANGE_MS);
    function fail(err: Error): void {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    }
    socket.once("error", (err) => fail(err));
    socket.on("connect", () => socket.write(text));
    socket.once("data", () => {
      clearTimeout(timer);
      socket.removeAllListeners("error");
      socket.on("error", () => {});
      resolve({ socket, localPort: socket.localPort ?? 0 });
    });
  });
}

/** Sends `text` on a held connection and waits for it shouted: "ok", or how it failed. */
export function askHeld(held: HeldClient, text: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const { socket } = held;
    const want = text.toUpperCase();
    let got = "";
    const timer = setTimeout(() => finish("timeout"), EXCHANGE_MS);
    function finish(outcome: Outcome): void {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("close", onClose);
      resolve(outcome);
    }
    function onData(chunk: Buffer): void {
      got += chunk.toString("latin1");
      if (got.length >= want.length) finish(got === want ? "ok" : "wrong");
    }
    function onClose(): void {
      finish("cut");
    }
    if (socket.destroyed) return finish("cut");
    socket.on("data", onData);
    socket.on("close", onClose);
    socket.write(text);
  });
}

/** Closes a held connection and waits (briefly) for it to close. */
export function release(held: HeldClient): Promise<void> {
  return new Promise((resolve) => {
    if (held.socket.destroyed) return resolve();
    const timer = setTimeout(() => {
      held.socket.destroy();
      resolve();
    }, 2000);
    held.socket.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
    held.socket.end();
  });
}
