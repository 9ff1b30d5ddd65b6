// A stdio MCP server in front of another: starts the real server (argv[3..]) with this process's
// environment, passes every byte both ways, and appends each tools/call request it forwards to a
// log file (argv[2]) that outlives the pod that started it. Tests count the calls a server got.
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const readline = require("node:readline");

const [log, command, ...args] = process.argv.slice(2);
const server = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"], env: process.env });
server.stdout.pipe(process.stdout);
server.on("exit", (code) => process.exit(code ?? 0));

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (line.includes('"tools/call"')) fs.appendFileSync(log, line + "\n");
  server.stdin.write(line + "\n");
});
lines.on("close", () => server.stdin.end()); // the pod is gone: so is the server
