// Drives the client library in Node.js for the Java tests: one JSON request per line on stdin ({op, args}), one JSON
// answer per line on stdout. Argument: the library's entry module (its source, or the one a packed install holds).
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { call, clientLibraryOps } from "./client-library-ops.mjs";

const lib = await import(pathToFileURL(process.argv[2]).href);
const ops = clientLibraryOps(lib, { defaultKeyStore: "memory" });
for await (const line of createInterface({ input: process.stdin })) {
  const { op, args } = JSON.parse(line);
  process.stdout.write(JSON.stringify(await call(ops, op, args)) + "\n");
}
