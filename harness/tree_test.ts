// Self-tests of the tree observer: zombies, adoption, and the ps fallback.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { run } from "./run.ts";

const fixture = (name: string) => new URL(`./fixtures/${name}.ts`, import.meta.url).pathname;

test("a child that exits while its parent's event loop is blocked is seen as a zombie, then reaped", async () => {
  const r = await run(fixture("zombie"), { args: ["800"] });
  const child = r.descendants[0];
  assert.ok(child, "the short-lived child was observed");
  assert.ok(child!.zombieFrom !== undefined, "it was seen in state Z");
  assert.ok(child!.goneAt !== undefined, "and then it was gone (reaped)");
  const unblocked = r.lines.find((l) => l.text === "unblocked")!;
  assert.ok(child!.zombieFrom! < unblocked.at, "it was a zombie while the parent was blocked");
  // The child exits 100 ms into the 800 ms block: a zombie for most of it.
  assert.ok(child!.zombieUntil! - child!.zombieFrom! > 400, "a zombie for most of the blocked time");
});

test("a child that is a zombie before any sample saw it alive is still seen, as a zombie of its parent", async () => {
  const r = await run(fixture("instant_zombie"));
  const sleeper = r.tree.find((p) => p.argv[0] === "sleep");
  assert.ok(sleeper, "the shell that became sleep was observed");
  const zombie = r.tree.find((p) => p.ppid === sleeper!.pid);
  assert.ok(zombie, "its child, which exited at once, was observed too");
  assert.ok(zombie!.zombieFrom !== undefined, "in state Z");
});

test("an orphan's change of parent is recorded, without assuming pid 1", async () => {
  const r = await run(fixture("orphan"), { args: ["700"], graceMs: 2000 });
  const child = r.descendants[0];
  assert.ok(child, "the child was observed");
  assert.is(child.ppid, r.pid);
  assert.is(child.parents.length, 1, "one change of parent");
  assert.is.not(child.parents[0].ppid, r.pid);
  // Against the parent's last sighting alive, not the harness's exit event: a
  // loaded machine delivers that event late, after the adoption was observed.
  assert.ok(child.parents[0].at >= r.root!.lastAlive!, "adopted once its parent was no longer alive");
  assert.ok(child.lastAlive! > r.durationMs, "it outlived its parent");
  assert.equal(r.leftovers, [], "it ended by itself within the grace period");
});

test("with threads: true, each thread is listed with its name and life; without it, none", async () => {
  const r = await run(fixture("threads"), { threads: true });
  const named = r.root!.threads!.filter((t) => t.name === "fixture-thread");
  assert.is(named.length, 2, "both worker threads, by the name each gave itself");
  for (const t of named) {
    assert.ok(t.tid !== r.pid, "a thread of its own, not the main thread");
    assert.ok(t.lastSeen - t.firstSeen >= 150, "seen for most of its 300 ms");
    assert.ok(t.endedAt !== undefined && t.endedAt <= r.root!.lastAlive!, "seen to end while the process went on");
  }
  assert.ok(r.root!.threads!.some((t) => t.tid === r.pid), "the main thread is listed too");
  const plain = await run(fixture("threads"));
  assert.is(plain.root!.threads, undefined, "threads are listed only when asked for");
});

test("without /proc the ps fallback still sees the tree, and says what it loses", async () => {
  const r = await run(fixture("escape_session"), { deadlineMs: 4000, observer: "ps" });
  assert.is(r.observer.source, "ps");
  assert.ok(r.observer.lost.length > 0);
  assert.ok(r.descendants.some((p) => p.argv.some((a) => a.endsWith("forever.ts"))));
});

test("kernel creation times order processes like first sightings do", async () => {
  const r = await run(fixture("escape_session"), { deadlineMs: 4000 });
  const [root, grandchild] = r.tree;
  assert.ok(root.createdAt <= grandchild.createdAt);
  // A process is created before it is first seen; the kernel's clock ticks every 10 ms.
  assert.ok(grandchild.createdAt <= grandchild.firstSeen + 10, "created no later than first seen");
});

test.run();
