// Tests of kata 07: one chat session with real processes (the server, three
// client programs and a raw test socket), judged on what everyone got and on
// the process trees the kernel showed; then the server's robustness
// (_robust_tests.ts) and the classic wire (_compat_tests.ts).
import {
  assertFinished, assertNothingLeft, fail, kataSuite, once, type ProcessRecord, type RunResult,
} from "../../harness/mod.ts";
import { compatTests } from "./_support/compat_tests.ts";
import { consoleEndsWithServer } from "./_support/console_end.ts";
import { countLine, printed, type Proc } from "./_support/procs.ts";
import { robustTests } from "./_support/robust_tests.ts";
import { ADMIN_SAYS, ALICE_SAYS, CLIENTS, DAVE_SAYS, FROZEN_LINE, need, runSession, senderOf } from "./_support/session.ts";
import { EXIT, joinedNotice, leftNotice, saysNotice } from "./protocol.ts";

const { test, program } = kataSuite(import.meta.url, { unitMs: 200 });
const session = once(() => runSession(program));

/** Fails unless each listener printed `text` exactly once, and each in `never` did not print it. */
function exactlyOnce(text: string, listeners: Proc[], never: Proc[], hint: string): void {
  for (const p of listeners) {
    const n = countLine(p, text);
    if (n !== 1) fail(`Expected ${p.label} to print "${text}" once, but it printed it ${n} times.`, { hint });
  }
  for (const p of never) {
    if (countLine(p, text) > 0) fail(`Expected ${p.label} never to print "${text}", but it did.`, { hint });
  }
}

/** The session's three clients, after it got through `step`. */
async function clientsAfter(step: string): Promise<Proc[]> {
  const s = await session();
  need(s, step);
  return CLIENTS.map((n) => s.clients.get(n)!);
}

test("the server prints a ready line that names its port", async () => {
  need(await session(), "ready");
});

test("each client logs in; a taken name and the admin's name are refused", async () => {
  need(await session(), "login");
});

test("an entry is announced to the others, never to the one who enters", async () => {
  const [alice, bob, carol] = await clientsAfter("login");
  const hint = "Send the notice to the users already in the room, then add the newcomer.";
  exactlyOnce(joinedNotice("bob"), [alice], [bob], hint);
  exactlyOnce(joinedNotice("carol"), [alice, bob], [carol], hint);
  exactlyOnce(joinedNotice("dave"), [alice, bob, carol], [], hint);
  const dave = (await session()).dave!;
  if (dave.count(joinedNotice("dave")) > 0) fail("The test socket dave was told that he joined.", { hint });
});

test("a message reaches every other user exactly once, never the sender", async () => {
  const [alice, bob, carol] = await clientsAfter("chat");
  const hint = "Relay to every user in the room except the one who spoke, once each.";
  exactlyOnce(saysNotice("alice", ALICE_SAYS), [bob, carol], [alice], hint);
  exactlyOnce(saysNotice("dave", DAVE_SAYS), [alice, bob, carol], [], hint);
  const dave = (await session()).dave!;
  if (dave.count(saysNotice("alice", ALICE_SAYS)) !== 1) {
    fail("The test socket dave did not get alice's words exactly once.", { hint });
  }
  if (dave.count(saysNotice("dave", DAVE_SAYS)) > 0) fail("The server sent dave's own words back to him.", { hint });
});

test("the admin's line on the server's stdin reaches every user once", async () => {
  const clients = await clientsAfter("admin");
  exactlyOnce(saysNotice("admin", ADMIN_SAYS), clients, [], "One line typed, one datagram to each user.");
});

/** The server's child running console.ts, from the kernel's view of the run. */
function consoleOf(r: RunResult): ProcessRecord {
  const found = r.tree.find((p) => p.ppid === r.pid && p.argv.some((a) => a.endsWith("console.ts")));
  if (found) return found;
  const children = r.tree.filter((p) => p.ppid === r.pid).map((p) => p.argv.at(-1)).join(", ");
  return fail(`Expected a child process of the server running console.ts; its children: ${children || "none"}.`, {
    hint: "startConsole() in rules.ts forks console.ts, as the Python server forks its admin process.",
  });
}

test("the admin console is a real child process of the server, alive while it serves", async () => {
  const s = await session();
  need(s, "admin");
  const r = await s.server.done;
  const c = consoleOf(r);
  if ((c.lastAlive ?? -1) < s.adminHeardAt!) {
    fail(`The console (pid ${c.pid}) was last seen alive at ${Math.round(c.lastAlive ?? c.firstSeen)} ms, ` +
      `before the admin's line reached the users at ${Math.round(s.adminHeardAt!)} ms.`);
  }
  assertNothingLeft(r);
});

test("the admin console dies with the server, even killed, even with its stdin still open", async () => {
  await consoleEndsWithServer(program);
});

test("each client's receiver and sender are separate processes, and only the receiver holds the socket", async () => {
  const s = await session();
  need(s, "login");
  for (const name of CLIENTS) {
    const p = s.clients.get(name)!;
    const line = printed(p).find((l) => l.startsWith(`client: you are in the room as ${name} `)) ?? "";
    const [, receiver, sender] = (/receiver pid (\d+), sender pid (\d+)/.exec(line) ?? []).map(Number);
    const seen = senderOf(p);
    if (!seen) {
      return fail(`${p.label} (pid ${p.run.pid}) had no child process running sender.ts.`, {
        hint: "Fork sender.ts: it reads what the user types while the client receives.",
      });
    }
    if (receiver !== p.run.pid || sender !== seen.pid) {
      fail(`${p.label} printed "${line}", but the kernel saw the receiver (the client) as pid ` +
        `${p.run.pid} and its sender child as pid ${seen.pid}.`, { hint: "Print process.pid and sender.pid." });
    }
    const held = s.holders.get(name);
    if (!held) continue; // no /proc here: who holds a socket cannot be seen
    const holding = [...held].filter(([, ports]) => ports.length > 0).map(([pid]) => pid);
    if (holding.includes(seen.pid)) {
      fail(`The sender of ${p.label} (pid ${seen.pid}) holds a UDP socket` +
        `${holding.includes(p.run.pid) ? `, and so does its receiver (pid ${p.run.pid})` : ""}. In Node every ` +
        "process that holds a UDP socket reads from it, so the datagrams meant for the receiver are shared " +
        "out between them, and the ones the sender reads are lost.", {
        hint: "Keep the socket in the receiver alone; the sender hands it each request over IPC (process.send).",
      });
    }
    if (!holding.includes(p.run.pid)) fail(`The receiver of ${p.label} (pid ${p.run.pid}) held no UDP socket.`);
  }
});

test("a client's receiver prints while its sender is stopped, and typed lines wait for the sender", async () => {
  const s = await session();
  need(s, "frozen");
  const f = s.frozen!;
  if (f.problem) fail(f.problem, { hint: "Fork sender.ts from the client." });
  if (!f.receiverPrinted) {
    fail("While bob's sender was stopped (SIGSTOP), his client did not print what dave said.", {
      hint: "The receiver reads the socket and prints on its own; it must not wait for the sender.",
    });
  }
  if (f.leaked.length > 0) {
    fail(`While bob's sender was stopped, the line bob typed ("${FROZEN_LINE}") still reached ` +
      `${f.leaked.join(" and ")}: some other process read it from stdin and sent it.`, {
      hint: "The sender alone reads what the user types; the receiver only puts its requests on the wire.",
    });
  }
  if (!f.sentAfter) fail("Once bob's sender went on (SIGCONT), the line he had typed never reached dave.");
});

test("a user who quits gets exactly EXIT, then nothing more", async () => {
  const s = await session();
  need(s, "quit");
  const reply = s.daveQuitReply;
  if (reply?.text !== EXIT) {
    fail(`Expected the test socket dave to get exactly "EXIT" in answer to "Q dave", but it got ` +
      `${reply ? JSON.stringify(reply.text) : "nothing"}.`, { hint: "The leaver gets EXIT alone." });
  }
  const after = s.dave!.got.slice(s.daveGotBeforeQuit + 1).map((d) => d.text);
  if (after.length > 0) {
    fail(`After EXIT, dave still got ${JSON.stringify(after)}: he was not taken out of the room.`, {
      hint: "Answer EXIT to the leaver, take them out of the room, and only then tell the users still in.",
    });
  }
});

test("a departure is announced to those who stay, never to the one who leaves", async () => {
  const [alice, bob, carol] = await clientsAfter("quit");
  const hint = "Answer EXIT to the leaver, take them out of the room, then tell everyone still in.";
  exactlyOnce(leftNotice("dave"), [alice, bob, carol], [], hint);
  exactlyOnce(leftNotice("bob"), [alice, carol], [bob], hint);
  // alice and carol leave together: which of them hears of the other depends on the order.
  exactlyOnce(leftNotice("alice"), [], [alice], hint);
  exactlyOnce(leftNotice("carol"), [], [carol], hint);
});

test("a client ends by itself after quit, with code 0, leaving nothing behind", async () => {
  for (const p of await clientsAfter("quit")) {
    const r = await p.done;
    assertFinished(r, { hint: `${p.label} should end when the server answers EXIT.` });
    assertNothingLeft(r, { hint: "The sender ends when the receiver does: exit on process 'disconnect'." });
  }
});

robustTests(test, program);
compatTests(test, program);

test.run();
