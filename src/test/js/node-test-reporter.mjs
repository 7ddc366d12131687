// A reporter for Node.js's test runner that writes one JSON line per test that ended, for ClientLibraryUnitTest,
// which turns each into a JUnit test so that Maven's summary counts them.
export default async function* jsonLines(source) {
  for await (const event of source) {
    if (event.type !== "test:pass" && event.type !== "test:fail") continue;
    const { name, file, skip, todo, details } = event.data;
    if (details?.type === "suite") continue;
    const error = details?.error;
    yield `${JSON.stringify({
      name,
      file,
      outcome: skip || todo ? "skipped" : event.type === "test:pass" ? "passed" : "failed",
      error: error ? String(error.cause?.stack ?? error.stack ?? error) : null,
    })}\n`;
  }
}
