/**
 * Keeps only the newest of several overlapping requests: `begin()` returns a ticket, and
 * `isLatest(ticket)` is false once a newer request has begun (its answer is stale).
 */
export function latestOnly(): { begin: () => number; isLatest: (ticket: number) => boolean } {
  let current = 0;
  return {
    begin: () => ++current,
    isLatest: (ticket) => ticket === current,
  };
}
