// Both ends of the wire, given complete. The server's: one UDP socket that
// reads each datagram as a request (protocol.ts), answers one that is not a
// request with `error: <why>`, and hands each request to the handler of its
// kind. The client's: what its receiver (receiver.ts) works with.
import type { ChildProcess } from "node:child_process";
import { createSocket, type Socket } from "node:dgram";
import { errorReply, parseRequest } from "./protocol.ts";
import type { Address } from "./room.ts";

/** What the server does with each kind of request, `from` being where the datagram came from. */
export interface Handlers {
  login(name: string, from: Address): void;
  chat(name: string, text: string, from: Address): void;
  quit(name: string, from: Address): void;
}

/** The server's socket (not bound yet), and how to send a text to an address through it. */
export interface Wire {
  socket: Socket;
  send(text: string, to: Address): void;
}

/** Opens the server's socket; `where` names the address it will serve on, for errors. */
export function openWire(handlers: Handlers, where: string): Wire {
  const socket = createSocket("udp4");
  const send = (text: string, to: Address) => void socket.send(text, to.port, to.address);
  socket.on("message", (data, from) => {
    const request = parseRequest(data);
    // A bad datagram gets an answer, never a crash: the service goes on.
    if ("error" in request) return send(errorReply(request.error), from);
    if (request.kind === "login") handlers.login(request.name, from);
    else if (request.kind === "chat") handlers.chat(request.name, request.text, from);
    else handlers.quit(request.name, from);
  });
  socket.on("error", (err) => {
    console.error(`server: cannot serve on ${where}: ${err.message}`);
    process.exit(1);
  });
  return { socket, send };
}

/** The client's receiver: its socket (connected to the server), its sender child, and what it knows. */
export interface Receiver {
  socket: Socket;
  /** The sender child, once forked. */
  sender: ChildProcess | undefined;
  /** The name the server said OK to; undefined until then. */
  name: string | undefined;
  /** The name of the login under way. */
  asked: string | undefined;
  /** The time unit, in ms. */
  unitMs: number;
  /** Says why, closes the socket and lets the sender go; the process then ends by itself. */
  end(why: string): void;
}
