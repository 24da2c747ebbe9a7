// Kata 16: a pipeline of three processes, producer | filter | consumer.
//
// Like the shell's `producer | grep '^E' | consumer`: the producer's stdout
// feeds the filter's stdin, the filter's stdout feeds the consumer's stdin.
// Those bytes flow from child to child; this process only starts the three,
// reads what the consumer prints (one line per stored record), and reports.
// Done when `npm run kata -- run 16` passes. Run it by hand with
//   node --import tsx katas/16_pipeline/main.ts
import { spawn } from "node:child_process";

const here = (file: string) => new URL(file, import.meta.url).pathname;
/** spawn() arguments that run a .ts file with this Node and its loader. */
const nodeArgs = (file: string) => [...process.execArgv, here(file)];

// TODO: start the three stages with spawn(process.execPath, nodeArgs("producer.ts"), { stdio })
// so that the producer's stdout is the filter's stdin and the filter's stdout
// is the consumer's stdin: a stream of one child (child.stdout) can be given
// in the stdio array of the next. Keep stderr "inherit". Then close this
// process's own copies of the ends it handed on (.destroy()): a pipe end left
// open here is one the children cannot finish without.

// TODO: read the consumer's stdout while the children run: each line is
// `stored <id>`. Count them and add up the ids. Only then wait for the three
// to exit; if any exits with a code other than 0, say which and exit with 1.

// TODO: print `main: <count> records stored, ids adding up to <sum>`.
void spawn;
void nodeArgs;
