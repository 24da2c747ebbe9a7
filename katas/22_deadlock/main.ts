// Kata 22: deadlock and its cure, with the dining philosophers.
//
// Forks N philosopher processes (5 unless a count is given) around one table
// with N forks, one between each two neighbours. Each philosopher eats MEALS
// times, and needs both of its forks to eat. The forks live in this process:
// the broker in broker.ts hands them out over each philosopher's IPC channel,
// queueing a philosopher while its fork is held. This file and table.ts are
// given; the order in which a philosopher takes its forks (philosopher.ts) and
// the broker's deadlock report (broker.ts) are yours.
//
//   main.ts naive [N]     each takes its left fork, then its right: a deadlock
//   main.ts ordered [N]   each takes its forks in one global order: everyone eats
//
// Done when: `npm run kata -- run 22` passes. Run it by hand with
//   node --import tsx katas/22_deadlock/main.ts naive
// (it stalls: stop it with Ctrl-C) and with `ordered`, which ends by itself.
import { type ChildProcess, fork } from "node:child_process";
import { serveForks } from "./broker.ts";
import { seatEveryone } from "./table.ts";

const PHILOSOPHER = new URL("./philosopher.ts", import.meta.url).pathname;
const MODES = ["naive", "ordered"];

const [mode, countArg = "5"] = process.argv.slice(2);
const count = Number(countArg);
if (!MODES.includes(mode ?? "") || !Number.isInteger(count) || count < 2) {
  console.error("Usage: main.ts <naive|ordered> [philosophers, at least 2]");
  process.exit(2);
}

// Seats go round the table; fork s lies between seat s and the next. The
// philosophers sit as 1, 3, 5, ..., 2, 4, ..., so that neighbours' numbers are
// not consecutive: who waits for whom must be read from the forks, not guessed.
const ids = [...Array(count).keys()].map((i) => i + 1);
const seating = [...ids.filter((id) => id % 2 === 1), ...ids.filter((id) => id % 2 === 0)];
const philosophers: ChildProcess[] = [];
for (let id = 1; id <= count; id++) {
  const seat = seating.indexOf(id);
  const left = seat + 1;
  const right = ((seat + 1) % count) + 1;
  philosophers.push(fork(PHILOSOPHER, [String(id), String(left), String(right), mode]));
}
console.log(`main: pid ${process.pid}, ${count} philosophers (${mode}), seated ${seating.join(", ")}`);
serveForks(philosophers);

philosophers.forEach((p, i) => {
  p.on("exit", (code, signal) => {
    console.log(`main: philosopher ${i + 1} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}`);
    if (code !== 0) process.exitCode = 1;
  });
});

await seatEveryone(philosophers);
