/**
 * Lets the event loop answer what is waiting (requests, timers, mail) before long work goes on. Awaiting a
 * query is not enough on SQLite: better-sqlite3 answers synchronously, so a loop of awaited statements runs
 * to its end in one go and every request of the process waits behind it. Long batch work (retention, the
 * fraud tools, counting big campaigns) calls this between batches.
 */
export function letOthersRun(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
