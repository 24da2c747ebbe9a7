// The table of katas, in the order a learner takes them, with their hints (like
// rustlings' info.toml). A hint explains the concept and the next step, never the code.

/** One kata of the table. */
export interface KataInfo {
  /** The folder under katas/ and solutions/, e.g. `01_create_process`. */
  dir: string;
  /** A short title for lists. */
  title: string;
  /** Shown on request: the concept and the next step. */
  hint: string;
}

/** Every kata, in order. */
export const KATAS: KataInfo[] = [
  {
    dir: "01_create_process",
    title: "Create processes: fork and spawn",
    hint: `A process is a running program with a pid of its own; a child's parent is the
process that started it. Node gives two ways to start one: fork() runs a Node
module (here task.ts) in a new Node process, with an IPC channel to it; spawn()
runs any command, so you name the node binary and its flags yourself
(process.execPath and process.execArgv). Both return at once with a
ChildProcess object whose pid you can print: starting a child does not wait
for it. Node keeps your program alive until its children are done, unless you
exit on purpose, so do not call process.exit().`,
  },
  {
    dir: "02_join_timing",
    title: "Join, and what it does to timing",
    hint: `Joining a child means waiting until it has ended. In Node a ChildProcess
emits "exit" once it has ended and been reaped, so a join is a promise that
resolves on that event. Two traps: a child that already ended will not emit
"exit" again, so look at child.exitCode and child.signalCode first; and a
timeout only stops the waiting, it does not stop the child. Where you join
decides the timing: start everything first and then join, and the sleeps
overlap; join each child before starting the next, and they add up.`,
  },
  {
    dir: "03_isolated_memory",
    title: "Each process has memory of its own",
    hint: `Processes do not share ordinary memory. A child started by fork() is a new
program: it loads its modules afresh, so it never sees the parent's current
values, and nothing it changes reaches the parent. To hand the child data, send
it a message with child.send(value): the value is serialised and rebuilt, so the
child gets a copy. In the worker, make the changes inside the "message" handler,
where the copy arrives. In the parent, wait for the worker's "exit" event before
printing, so that its view comes after every change the worker made.`,
  },
  {
    dir: "04_daemon",
    title: "Daemon children: end with the parent, even after SIGKILL",
    hint: `A daemon child serves its parent and must not outlive it. Two things end it.
First, the parent's own work: Node waits for every child it forked (their IPC
channels keep it alive), so when main's work is done it must end the daemon
itself, while leaving the ordinary child to finish. Second, the parent's death:
a parent killed by SIGKILL runs no code, so no handler of main.ts can help. The
daemon must notice by itself: the IPC channel that fork() opened closes when
the parent dies, and Node tells the child with a "disconnect" event on process.`,
  },
  {
    dir: "05_mutex_printer",
    title: "The mutex printer: a fair lock that survives a killed holder",
    hint: `Workers are separate processes, so a variable in one of them cannot be the
lock: it must live somewhere all of them reach. The parent that forked them is
such a place, and it can keep a queue: a worker asks over its IPC channel and
waits for an answer; the parent answers one worker at a time, the one that has
waited longest, when the printer is free. It is free when its holder says so,
and also when the holder's process ends: a SIGKILLed worker never says so, but
the parent still gets the child's "exit" event. A worker takes the printer
after preparing, not before, and keeps it until it has printed "done".`,
  },
  {
    dir: "06_ticket_race",
    title: "The ticket race: a shared file, a lock, an atomic write",
    hint: `Reading the count, deciding and writing it back is a critical section: if
another buyer reads between your read and your write, you both sell from the
same count. Build a lock that works across processes, as in kata 05. The
parent is a good keeper: each buyer asks for the lock over its IPC channel and
waits until the parent grants it; the parent grants it to one buyer at a time,
queues the rest, and frees it on "release" or when the holder's channel closes
(a killed buyer never says goodbye). Take the lock only around buy(), not the
search. Finally, never rewrite ticket.json in place: write a temporary file
beside it and rename it over the original, which readers see change in one
step.`,
  },
  {
    dir: "07_udp_chat",
    title: "A UDP group chat, wire-compatible with the classic Python one",
    hint: `Start with the server. A UDP server knows a user only by the address their
datagrams come from, so look up the name logged in from that address and
never trust the name a datagram claims. Bind, then fork the console; print
the ready line only when the console has sent you its address. Every child
must end with its parent, even one killed by SIGKILL: listen for "disconnect"
on process. In the client, keep the socket in the receiver alone: a Node
process that holds a UDP socket reads from it, so a second holder steals
datagrams. The sender reads the keyboard and hands each request to the
receiver with process.send; the receiver tells it whether a login worked.`,
  },
  {
    dir: "08_zombie_orphan",
    title: "Zombies, orphans and the double fork",
    hint: `A child that has exited stays in the process table as a zombie (state Z)
until its parent collects its exit status. Node does that by itself whenever
its event loop runs, so to see a zombie you must keep the loop from running:
block it with a synchronous wait, never an await or a timer, until the child's
state says zombie, then hold it. Awaiting the child's "exit" event lets the loop
run, and the zombie is reaped. An orphan is the opposite: a child whose parent
exits first. Node waits for its children, so a parent that wants to leave must
exit on purpose, after the child has said it is up. The kernel then gives the
child a new parent (not always pid 1). The double fork puts a middle process
between program and worker: the middle leaves at once, the program joins it
straight away, and the orphaned worker is never the program's to reap.`,
  },
  {
    dir: "09_exit_status",
    title: "Exit status, terminate and is_alive",
    hint: `A child ends in one of two ways: it exits with a code, or a signal ends it.
Node keeps them apart: child.exitCode holds the code, child.signalCode the
signal's name, and both stay null until Node has reaped the child and fired
"exit". Python's exitcode merges them: null while running, the code, or minus
the signal's number (os.constants.signals turns a name into a number). Alive
means not yet reaped, so it follows those two fields, not child.killed, which
only says that a signal was sent. terminate() sends SIGTERM and returns at
once: the child is still alive until it has been joined.`,
  },
  {
    dir: "10_echo_server",
    title: "An echo server with a process per client",
    hint: `The server's own job is only to accept: for each connection it forks a new
handler process and passes the socket to it with child.send(message, socket).
The socket itself travels with the message, so the handler then holds the
connection and the server closes its own copy. Start each handler the moment
its connection arrives and do not wait for it: waiting is what makes one slow
client hold up the rest. In the handler, the socket is the second argument of
the "message" event; write back each chunk of "data" shouted. A forked child
stays alive while it listens for messages, so listen only once, and the
handler ends by itself when the client leaves and the socket closes.`,
  },
  {
    dir: "11_process_pool",
    title: "A process pool: a few workers, many tasks",
    hint: `A pool keeps a fixed set of worker processes and feeds them tasks from a
queue, so the number of processes does not grow with the work. Fork the workers
once, when the pool starts. Keep a list of idle workers and a map from each
busy worker to the task it has: when a task is queued or a worker sends back
its result, hand the next task to an idle worker. Watch each worker's "exit":
while the pool is open, an exit is a crash, so start a new worker in its place
and put its unfinished task back at the front of the queue. To close the pool,
stop replacing, disconnect every worker, and wait for their "exit" events.`,
  },
  {
    dir: "12_message_queue",
    title: "A message queue instead of a lock",
    hint: `When one process owns the data and the others only send it requests, there is
nothing shared to lock. Each buyer's requests arrive on its IPC channel as
"message" events, and the seller's event loop handles them one at a time: a
handler that runs from start to end without an await cannot be interrupted by
another buyer. So check the stock and take a ticket in the same synchronous
step, and always reply, even when nothing is left. Fork every buyer first,
keeping each ChildProcess, and attach a "message" listener to each one; Node
ends the seller on its own once every buyer has gone.`,
  },
];
