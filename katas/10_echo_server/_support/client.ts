// Private helper of kata 10's tests: a TCP client that talks the way the seed's
// client does (send a message, read the reply), always with a deadline.
import { connect, type Socket } from "node:net";

/** A connected test client. */
export interface Client {
  /** "client 1", for messages. */
  name: string;
  socket: Socket;
  /** The client's own port: the server's end of the connection sees it as the remote port. */
  port: number;
  /** Bytes received and not yet taken by {@link ask}. */
  pending: Buffer;
  /** Whether the server closed the connection. */
  closed: boolean;
  /** How many of its messages were answered so far on this connection. */
  replies: number;
}

/** What came of a question: the reply, or why there was none. */
export type Answer =
  | { kind: "reply"; text: string }
  | { kind: "closed"; text: string }
  | { kind: "timeout"; text: string };

/** Connects to the server on 127.0.0.1:`port`; rejects after `timeoutMs`. */
export function connectClient(name: string, port: number, timeoutMs: number): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${name} could not connect to port ${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once("error", (err) => {
      clearTimeout(timer);
      reject(new Error(`${name} could not connect to port ${port}: ${err.message}`));
    });
    socket.once("connect", () => {
      clearTimeout(timer);
      const client: Client = {
        name, socket, port: socket.localPort ?? 0, pending: Buffer.alloc(0), closed: false, replies: 0,
      };
      socket.on("data", (chunk: Buffer) => (client.pending = Buffer.concat([client.pending, chunk])));
      socket.on("close", () => (client.closed = true));
      socket.on("error", () => {}); // a reset shows up as "closed"
      resolve(client);
    });
  });
}

/** How often {@link ask} asks its `giveUp` whether to stop waiting. */
const GIVE_UP_POLL_MS = 250;

/**
 * Sends `text` (no newline, as the seed's client sends it) and waits for as
 * many bytes back as it sent, for the connection to close, for the timeout,
 * or until `giveUp()` says that no reply will come.
 */
export function ask(client: Client, text: string, timeoutMs: number, giveUp = () => false): Promise<Answer> {
  const want = Buffer.byteLength(text);
  const take = (): string => {
    const got = client.pending.subarray(0, want).toString();
    client.pending = client.pending.subarray(want);
    return got;
  };
  return new Promise((resolve) => {
    const check = () => {
      if (client.pending.length >= want) finish({ kind: "reply", text: take() });
      else if (client.closed) finish({ kind: "closed", text: client.pending.toString() });
    };
    const timer = setTimeout(() => finish({ kind: "timeout", text: client.pending.toString() }), timeoutMs);
    const poll = setInterval(() => {
      if (giveUp()) finish({ kind: "timeout", text: client.pending.toString() });
    }, GIVE_UP_POLL_MS);
    function finish(answer: Answer): void {
      clearTimeout(timer);
      clearInterval(poll);
      client.socket.off("data", onData);
      client.socket.off("close", check);
      resolve(answer);
    }
    const onData = check; // runs after the listener that buffers the bytes, added first
    client.socket.on("data", onData);
    client.socket.on("close", check);
    if (!client.closed) client.socket.write(text);
    check();
  });
}

/** Closes the client's end and waits (up to `timeoutMs`) for the connection to close. */
export function leave(client: Client, timeoutMs = 2000): Promise<void> {
  if (client.closed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      client.socket.destroy();
      resolve();
    }, timeoutMs);
    client.socket.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
    client.socket.end();
  });
}

/** Leaves by resetting the connection (TCP RST), as a client that crashes or loses its network does. */
export function reset(client: Client, timeoutMs = 2000): Promise<void> {
  if (client.closed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    client.socket.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
    client.socket.resetAndDestroy();
  });
}

/** Drops every client at once, whatever state it is in (for clean-up). */
export function dropAll(clients: Client[]): void {
  for (const c of clients) c.socket.destroy();
}
