// A raw UDP user for the tests: it sends exact bytes (a real client would never
// send some of them) and records every datagram it gets, byte for byte.
import { createSocket } from "node:dgram";
import { performance } from "node:perf_hooks";

/** A datagram a peer got. */
export interface Datagram {
  text: string;
  bytes: Buffer;
  /** performance.now() when it arrived. */
  at: number;
}

/** A test socket on 127.0.0.1 that talks to one server. */
export interface Peer {
  label: string;
  /** Its local port. */
  port: number;
  /** Every datagram it got, in order. */
  got: Datagram[];
  send(data: string | Uint8Array): void;
  /** The first datagram from index `from` on that matches, or undefined after `timeoutMs`. */
  waitFor(match: (d: Datagram) => boolean, timeoutMs: number, from?: number): Promise<Datagram | undefined>;
  /** The texts got so far that match. */
  count(text: string): number;
  close(): void;
}

/** Opens a peer bound to a free port of 127.0.0.1, talking to `serverPort`. */
export async function openPeer(label: string, serverPort: number): Promise<Peer> {
  const socket = createSocket("udp4");
  const got: Datagram[] = [];
  const waiters = new Set<() => void>();
  socket.on("message", (bytes) => {
    got.push({ text: bytes.toString("utf8"), bytes, at: performance.now() });
    for (const w of waiters) w();
  });
  socket.on("error", () => {}); // an ICMP "port unreachable" once the server is gone
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  socket.unref(); // a forgotten peer must not keep the test file alive
  let closed = false;
  return {
    label,
    port: socket.address().port,
    got,
    send: (data) => socket.send(data, serverPort, "127.0.0.1"),
    count: (text) => got.filter((d) => d.text === text).length,
    waitFor(match, timeoutMs, from = 0) {
      return new Promise((resolve) => {
        const check = () => {
          const found = got.slice(from).find(match);
          if (!found) return;
          done();
          resolve(found);
        };
        const timer = setTimeout(() => (done(), resolve(undefined)), timeoutMs);
        const done = () => (clearTimeout(timer), waiters.delete(check));
        waiters.add(check);
        check();
      });
    },
    close() {
      if (!closed) socket.close();
      closed = true;
    },
  };
}
