// Tests of kata 07, registered by main_test.ts: the server against datagrams no
// polite client sends, from raw test sockets. After each, a probe must go through.
import { assertNothingLeft, fail, type KataProgram, type KataSuite, once } from "../../../harness/mod.ts";
import { openPeer, type Peer } from "./peer.ts";
import { DELIVERY_MS, expectLine, lastWords, type Proc, START_MS, startProc } from "./procs.ts";
import { EXIT, MAX_DATAGRAM_BYTES, MAX_NAME_CHARS, MAX_USERS, OK, saysNotice } from "../protocol.ts";

const KEY_BY_ADDRESS = "Key users by address: a datagram may act as a name only if it comes from that " +
  "name's address (and the admin's words only from the console's address).";

/** Adds the tests of the server's robustness to the suite. */
export function robustTests(test: KataSuite["test"], program: KataProgram): void {
  let server: Proc | undefined;
  const peers: Peer[] = [];
  let told = false;

  /** The server, with alice and bob logged in from raw sockets. */
  const start = once(async () => {
    server = startProc(program, "the server", "server.ts", ["127.0.0.1", "0"]);
    const ready = await expectLine(server, /listening on \S+:\d+\s*$/, START_MS,
      'Once its socket is bound and the console runs, the server prints "server: listening on <host>:<port>".');
    const port = Number(/:(\d+)\s*$/.exec(ready.text)![1]);
    const join = async (name: string) => {
      const peer = await openPeer(name, port);
      peers.push(peer);
      peer.send(`L ${name}`);
      return { peer, reply: (await peer.waitFor(() => true, DELIVERY_MS))?.text };
    };
    const alice = await join("alice");
    const bob = await join("bob");
    if (alice.reply !== OK || bob.reply !== OK) {
      fail(`Expected OK to "L alice" and "L bob", but they got "${alice.reply}" and "${bob.reply}".`);
    }
    return { alice: alice.peer, bob: bob.peer, join };
  });
  /** The room; if it never came up, only the first test says why. */
  const room = () => start().catch((err) => {
    if (told) fail("Not checked: the server never got ready (see the first of these failures).");
    told = true;
    throw err;
  });

  let probes = 0;
  /** Alice says something new: bob must get it, or the server has stopped serving. */
  async function probe(after: string): Promise<void> {
    const { alice, bob } = await room();
    const text = saysNotice("alice", `probe ${++probes}`);
    const mark = alice.got.length;
    alice.send(`C alice probe ${probes}`);
    if (await bob.waitFor((d) => d.text === text, DELIVERY_MS)) return;
    const refusal = alice.got.slice(mark).find((d) => d.text.startsWith("error: "));
    if (!server!.result && refusal) {
      fail(`After ${after}, the server still runs, but it no longer takes alice's address for alice: it ` +
        `answered "C alice probe ${probes}" with "${refusal.text}".`, {
        hint: "An address stays the user who logged in from it until that user quits: never let a request " +
          "move it to another name.",
      });
    }
    fail(`After ${after}, the server no longer relayed alice's words to bob.${lastWords(server!)}`, {
      hint: "A bad datagram must never end the service: answer it with an error, or ignore it, and go on.",
    });
  }

  /** Sends `data` from `peer`; the answers it got before the next probe went through. */
  async function answers(peer: Peer, data: string | Uint8Array, what: string): Promise<string[]> {
    const mark = peer.got.length;
    peer.send(data);
    await probe(what);
    // The server answered `peer` before it relayed the probe to bob, so the answer is in peer's socket
    // already; but this process may have read bob's socket first. One more turn of the event loop reads it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    return peer.got.slice(mark).map((d) => d.text).filter((t) => !t.startsWith("alice says: probe"));
  }

  test("empty, non-UTF-8, oversized, unknown and nameless datagrams get an error, never a crash", async () => {
    const { bob, join } = await room();
    const { peer: mallory } = await join("mallory");
    const bad: [string, string | Uint8Array][] = [
      ["an empty datagram", new Uint8Array(0)],
      ["a datagram that is not UTF-8", Uint8Array.from([0x4c, 0x20, 0xff, 0xfe, 0x80])],
      [`a datagram over ${MAX_DATAGRAM_BYTES} bytes`, `C mallory ${"x".repeat(MAX_DATAGRAM_BYTES + 100)}`],
      ["an unknown command", "X hello"],
      ['"L" with no name', "L"],
      ['"L " with an empty name', "L "],
      ['"C" with no name', "C"],
      ['"Q" with no name', "Q"],
    ];
    for (const [what, data] of bad) {
      const wrong = (await answers(mallory, data, what)).find((reply) => !reply.startsWith("error: "));
      if (wrong !== undefined) {
        fail(`Expected ${what} to be ignored or answered "error: ...", but the answer was "${wrong.slice(0, 80)}".`);
      }
    }
    if (bob.got.some((d) => d.text.startsWith("mallory says: xxx"))) fail("An oversized datagram was relayed to bob.");
  });

  test("a user can neither speak nor leave as someone else", async () => {
    const { alice, bob, join } = await room();
    const { peer: carol } = await join("carol");
    const { peer: stranger } = await join("stranger");
    stranger.send("Q stranger");
    const spoofs: [Peer, string, string][] = [
      [alice, "C carol I am carol", "alice's address speaking as carol"],
      [alice, "C admin I am the admin", "alice's address speaking as the admin"],
      [stranger, "C alice hello from nobody", "an address no longer logged in speaking as alice"],
      [alice, "Q carol", "alice's address making carol leave"],
    ];
    for (const [from, data, what] of spoofs) {
      await answers(from, data, what);
      const forged = [alice, bob, carol].flatMap((p) => p.got.map((d) => `${p.label} got "${d.text}"`))
        .filter((t) => /I am carol|I am the admin|hello from nobody|carol got "EXIT"/.test(t));
      if (forged.length > 0) fail(`A forgery went through (${what}): ${forged.join(", ")}.`, { hint: KEY_BY_ADDRESS });
    }
  });

  test("an address already in the room cannot log in again under another name", async () => {
    const { alice } = await room();
    const mark = alice.got.length;
    alice.send("L alice2");
    // A login's answer: late answers to earlier requests may still be arriving.
    const reply = await alice.waitFor((d) => d.text === OK || d.text.startsWith("refused: "), DELIVERY_MS, mark);
    if (reply?.text === OK) {
      fail('alice, logged in from her address, sent "L alice2" from that same address and got OK: one ' +
        "address is now two users, and the server can no longer tell which of them a datagram comes from " +
        "(the room keys names by address, so alice's own words now count as alice2's).", {
        hint: "One address, one user: refuse a login from an address already in the room " +
          '("refused: you are already in as alice"). Look the address up (nameAt) before the name.',
      });
    }
    if (!/^refused: /.test(reply?.text ?? "")) {
      fail(`Expected "L alice2" from alice's address to be refused, but no "refused: ..." came.`, {
        hint: "Answer every login, with OK or refused: <why>.",
      });
    }
    await probe("a second login from alice's address");
  });

  test("names with spaces, the admin's name and overlong names are refused", async () => {
    const { join } = await room();
    const long = "n".repeat(MAX_NAME_CHARS + 1);
    const cases: [string, RegExp][] = [
      ["two words", /^refused: .*space/],
      ["admin", /^refused: .*reserved/],
      [long, /^refused: /],
    ];
    for (const [name, expected] of cases) {
      const { reply } = await join(name);
      if (!expected.test(reply ?? "")) {
        fail(`Expected "L ${name}" to be answered with a line matching ${expected}, but it got ` +
          `${reply === undefined ? "no answer" : `"${reply}"`}.`);
      }
    }
    const { reply } = await join(long.slice(1));
    if (reply !== OK) {
      fail(`A name of ${MAX_NAME_CHARS} characters is allowed, but "L ${long.slice(1)}" got "${reply}".`);
    }
  });

  test(`the room holds at most ${MAX_USERS} users, and a message too long to relay is refused`, async () => {
    const { alice, bob, join } = await room();
    const isIn = (p: Peer) => p.got.some((d) => d.text === OK) && !p.got.some((d) => d.text === EXIT);
    for (let i = peers.filter(isIn).length; i < MAX_USERS; i++) {
      const { reply } = await join(`user${i}`);
      if (reply !== OK) fail(`With ${i} users in, "L user${i}" got "${reply}" instead of OK.`);
    }
    const { reply } = await join("onetoomany");
    if (!/^refused: /.test(reply ?? "")) {
      fail(`With ${MAX_USERS} users in, one more login got "${reply}", not a refusal.`);
    }
    // The request fits a datagram, but "alice says: " and the text would not.
    const text = "y".repeat(MAX_DATAGRAM_BYTES - "C alice ".length);
    const got = await answers(alice, `C alice ${text}`, "a message whose relay would not fit a datagram");
    if (bob.got.some((d) => d.text.includes(text))) {
      fail("A message too long to fit a datagram as `alice says: ...` was relayed to bob.");
    }
    if (!got.some((t) => t.startsWith("error: "))) fail(`Alice's overlong message was not answered with "error: ...".`);
    // "é" is two bytes in UTF-8: this request fits a datagram, and its relay is 1026 bytes but only 519 characters.
    const accented = "é".repeat((MAX_DATAGRAM_BYTES - "C alice ".length - 2) / 2);
    const wide = await answers(alice, `C alice ${accented}`, "a message of two-byte characters whose relay would not fit");
    const relay = saysNotice("alice", accented);
    if (bob.got.some((d) => d.text.includes(accented))) {
      fail(`A message whose relay is ${Buffer.byteLength(relay)} bytes (${relay.length} characters: "é" takes two ` +
        `bytes in UTF-8) was relayed to bob, though a datagram holds at most ${MAX_DATAGRAM_BYTES} bytes.`, {
        hint: "A datagram's limit counts bytes, not characters: measure the UTF-8 bytes (fits() does).",
      });
    }
    if (!wide.some((t) => t.startsWith("error: "))) fail(`Alice's message of two-byte characters was not refused.`);
  });

  test("through all of that, the server kept serving; it ends without leaving anything", async () => {
    await probe("everything above").finally(() => {
      for (const p of peers) p.close();
      server?.run.kill("SIGTERM");
    });
    const r = await server!.done;
    assertNothingLeft(r, { hint: "The admin console ends when the server does: exit on process 'disconnect'." });
  });
}
