// The users in the room, each known by name and by address, so that the server
// can tell who really sent a datagram. Given to you complete.

/** Where a user's datagrams come from, and where theirs go. */
export interface Address {
  address: string;
  port: number;
}

/** The room: names to addresses and back. */
export interface Room {
  byName: Map<string, Address>;
  byAddress: Map<string, string>;
}

/** What the server's rules (rules.ts) act on: the room, a way to send, and the admin console's address. */
export interface ChatServer {
  room: Room;
  send(text: string, to: Address): void;
  /** Where the admin console sends from (an addressKey), once it has said so. */
  adminKey: string | undefined;
}

/** An empty room. */
export function createRoom(): Room {
  return { byName: new Map(), byAddress: new Map() };
}

/** A map key for an address: `127.0.0.1:5555`. */
export function addressKey(a: Address): string {
  return `${a.address}:${a.port}`;
}

/** The name logged in from `from`, if any. */
export function nameAt(room: Room, from: Address): string | undefined {
  return room.byAddress.get(addressKey(from));
}

/** Adds a user (the caller has checked that name and address are free). */
export function enter(room: Room, name: string, from: Address): void {
  room.byName.set(name, { address: from.address, port: from.port });
  room.byAddress.set(addressKey(from), name);
}

/** Removes a user. */
export function leave(room: Room, name: string): void {
  const a = room.byName.get(name);
  if (a) room.byAddress.delete(addressKey(a));
  room.byName.delete(name);
}

/** Every user but `except`, with their address. */
export function others(room: Room, except?: string): [string, Address][] {
  return [...room.byName].filter(([name]) => name !== except);
}
