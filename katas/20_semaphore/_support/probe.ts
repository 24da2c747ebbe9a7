// Private helpers of kata 20's tests: a probe that talks to the server from
// the test process itself, byte by byte as the protocol says (it computes its
// own HMAC, independently of auth.ts), and reads every reply.
import { createHmac } from "node:crypto";
import { createConnection, type Socket } from "node:net";
import { fail } from "../../../harness/mod.ts";

/**
 * What the probe got next: a message (its kind and fields), or one of the
 * probe's own kinds: "garbled" (a line that is no message, in `text`),
 * "closed" (the server hung up), "silent" (nothing within `afterMs`).
 */
export interface Reply {
  kind: string;
  [field: string]: unknown;
}

/** A connection of the test's own to the server. */
export interface Probe {
  /** The next reply, waiting at most `timeoutMs`. */
  next(timeoutMs?: number): Promise<Reply>;
  /** Sends one line of text as it is (a newline is added). */
  sendLine(text: string): void;
  /** Sends a message as JSON; resolves once the kernel has it. */
  send(message: object): Promise<void>;
  /** Hangs up at once, as a killed process would. */
  destroy(): void;
}

/** How long a reply may take on a busy machine before the server counts as silent. */
export const REPLY_MS = 10_000;

/** The protocol's answer: HMAC-SHA256 of the challenge's bytes, keyed, as hex. */
export function hmac(key: string, challenge: string): string {
  return createHmac("sha256", key).update(Buffer.from(challenge, "hex")).digest("hex");
}

/** Whether anything accepts a connection on the socket now. */
export function canConnect(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Connects to the server's socket; a lesson if it cannot. */
export async function connect(path: string, why: string): Promise<Probe> {
  const socket = createConnection(path);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  }).catch((err: Error) => {
    socket.destroy();
    fail(`The test could not connect to the server's socket ${why}: ${err.message}.`, {
      hint: "Did the server end? Its listening socket must stay open while it runs.",
    });
  });
  return probeOf(socket);
}

function probeOf(socket: Socket): Probe {
  const lines: string[] = [];
  let closed = false;
  let wake = () => {};
  let pending = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf("\n")) >= 0) {
      lines.push(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
    }
    wake();
  });
  socket.on("error", () => {});
  socket.on("close", () => {
    closed = true;
    wake();
  });
  return {
    async next(timeoutMs = REPLY_MS) {
      const until = Date.now() + timeoutMs;
      while (lines.length === 0 && !closed && Date.now() < until) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, until - Date.now());
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      const line = lines.shift();
      if (line === undefined) return closed ? { kind: "closed" } : { kind: "silent", afterMs: timeoutMs };
      try {
        const value = JSON.parse(line) as unknown;
        if (typeof value === "object" && value !== null && typeof (value as { kind?: unknown }).kind === "string") {
          return value as Reply;
        }
      } catch {
        // Not JSON: garbled.
      }
      return { kind: "garbled", text: line };
    },
    sendLine(text) {
      socket.write(text + "\n");
    },
    send(message) {
      return new Promise((resolve) => socket.write(JSON.stringify(message) + "\n", () => resolve()));
    },
    destroy() {
      socket.destroy();
    },
  };
}

/** A reply in words, for messages. */
export function told(reply: Reply): string {
  if (reply.kind === "closed") return "the server hung up without a word";
  if (reply.kind === "silent") return `nothing came within ${reply.afterMs} ms`;
  if (reply.kind === "garbled") return `it sent ${JSON.stringify(reply.text)}, which is not a message`;
  return `it sent ${JSON.stringify(reply)}`;
}

/** Connects, answers the challenge with `key`, and expects a welcome; a lesson if any step fails. */
export async function welcomed(path: string, key: string, why: string): Promise<Probe> {
  const probe = await connect(path, why);
  const challenge = await probe.next();
  if (challenge.kind !== "challenge" || typeof challenge.challenge !== "string") {
    fail(`The test connected ${why} and expected a challenge first, but ${told(challenge)}.`);
  }
  await probe.send({ kind: "answer", answer: hmac(key, challenge.challenge as string) });
  const welcome = await probe.next();
  if (welcome.kind !== "welcome") {
    fail(`The test connected ${why} and answered the challenge with the right key (HMAC-SHA256, keyed, of the ` +
      `challenge's bytes, as hex), but ${told(welcome)}.`, {
      hint: "The answer is createHmac(\"sha256\", key).update(Buffer.from(challenge, \"hex\")).digest(\"hex\"): " +
        "the HMAC of the challenge's bytes, not of its hex text.",
    });
  }
  return probe;
}
