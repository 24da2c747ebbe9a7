// Runs the server (path and arguments given) as a child sharing this process's
// stdin, and stays alive after the server ends, so that stdin stays open: a
// test can then tell a console that ends with its parent from one that merely
// ran out of input. (The harness closes a program's stdin when it exits.)
//   node --import tsx _hold_stdin.ts <server.ts> <args...>
import { spawn } from "node:child_process";

const [file, ...args] = process.argv.slice(2);
const server = spawn(process.execPath, [...process.execArgv, file, ...args], { stdio: "inherit" });
server.on("exit", (code, signal) => console.log(`hold_stdin: the server ended (${signal ?? code})`));
setInterval(() => {}, 60_000); // until the test ends this process
