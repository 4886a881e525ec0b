import type { NextFunction, Request, Response } from 'express';

/**
 * Requests take turns on the event loop, one per turn, in the order they arrived.
 *
 * On SQLite every query runs synchronously (better-sqlite3), so a request runs from its first
 * middleware to its answer without giving the event loop back: fifty requests read in one poll
 * of the sockets then run back to back, and whatever arrives meanwhile — a liveness probe, a
 * client's next request — waits for all of them; the clients read last in each poll wait longest
 * (the reads benchmark saw a p99 of ten times the median). Here each request is queued and
 * started from its own `setImmediate` callback, so between two requests Node polls the sockets
 * again: a request waits for those that arrived before it, not for those that arrive with it, and
 * routes answered at once (`/health`) wait for at most the one request running. Nothing is
 * computed twice and nothing is dropped; on PostgreSQL, whose queries yield anyway, it only
 * orders the starts.
 */
export function requestTurns(answeredAtOnce: (path: string) => boolean): (request: Request, response: Response, next: NextFunction) => void {
  const waiting: NextFunction[] = [];
  let scheduled = false;
  const turn = () => {
    const next = waiting.shift();
    if (waiting.length > 0) setImmediate(turn);
    else scheduled = false;
    next?.();
  };
  return (request, _response, next) => {
    if (answeredAtOnce(request.path)) return next();
    waiting.push(next);
    if (!scheduled) {
      scheduled = true;
      setImmediate(turn);
    }
  };
}
