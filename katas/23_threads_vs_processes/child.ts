// A child process: it counts to `each` (its first argument) in its own memory
// and sends the count to its parent over the IPC channel fork() gave it.
//
// Forked by processes.ts: run main.ts, not this.
const each = Number(process.argv[2]);
if (!process.send) throw new TypeError("Cannot run child.ts alone: run main.ts, which forks it with an IPC channel");

let count = 0;
for (let i = 0; i < each; i++) count += 1;

// TODO: send the count to the parent as { count }. Nothing else can carry it
// there: this process's memory is its own.
void count;

// Closing the channel lets this process end once the message is on its way.
process.disconnect();
