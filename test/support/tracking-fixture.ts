import type { TestApp } from './test-app.js';

/** A clock as `GET /api/clocks` lists it: the fields the tests read. */
export interface ClockBody {
  id: string;
  subject: string;
  cycle: number;
  targetName: string;
  state: string;
  outcome: string;
  dueAt: string | null;
  warnAt: string | null;
  stoppedAt: string | null;
  breachedAt: string | null;
  elapsedSeconds: number;
  pausedSeconds: number;
  breachId: string | null;
  versionNumber: number;
  steps: { action: string; at: string; eventType: string }[];
}

/** Sends a batch of events as `token`; unless told otherwise, every item must be accepted. */
export async function sendEvents(t: TestApp, token: string, events: unknown[], expectAllAccepted = true) {
  const response = await t.as(token).post('/api/events').send(events);
  expect(response.status).toBe(200);
  if (expectAllAccepted) expect(response.body.results).toEqual(events.map(() => expect.objectContaining({ status: 'accepted' })));
  return response.body;
}

/** The clocks of one subject under one agreement, as `token` reads them. */
export async function clocksOf(t: TestApp, token: string, subject: string, agreementId: string): Promise<ClockBody[]> {
  const response = await t.as(token).get('/api/clocks').query({ subject, agreementId });
  expect(response.status).toBe(200);
  return response.body.items;
}

/** Moves the test clock to an instant and runs the sweep there. */
export async function sweepAt(t: TestApp, instant: string): Promise<{ breached: number; warned: number }> {
  t.clock.set(instant);
  const response = await t.as().post('/api/admin/sweep');
  expect(response.status).toBe(200);
  return response.body;
}
