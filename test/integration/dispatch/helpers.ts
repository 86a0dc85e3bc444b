import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { expect, vi } from 'vitest';
import type { Database } from '../../../api/db/client.ts';
import { users, volunteerDuty } from '../../../api/db/schema/index.ts';
import { connectSocket, type TestSocket } from '../../support/ws-client.ts';

export const LIBRARY_QR = 'b3jyvkxm'; // Northwestern University Library, south-east entrance (demo campus)

export async function api(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

export interface TestVolunteer {
  id: string;
  token: string;
  socket: TestSocket;
}

/** Registers a volunteer, verifies them (as an admin would), puts them on duty at `at` over the WebSocket. */
export async function onDutyVolunteer(base: string, database: Database, name: string, at: { lat: number; lng: number }, verified = true): Promise<TestVolunteer> {
  const reg = await api(base, 'POST', '/api/auth/register', { email: `${name}-${randomUUID().slice(0, 8)}@example.org`, password: 'volunteer-pw-1', displayName: name, certificateExpiresOn: '2030-01-01' });
  expect(reg.status).toBe(201);
  const { token, user } = reg.body;
  if (verified) await database.db.update(users).set({ verification: 'verified' }).where(eq(users.id, user.id));
  expect((await api(base, 'PUT', '/api/volunteer/duty', { onDuty: true }, { authorization: `Bearer ${token}` })).status).toBe(200);
  const socket = await connectSocket(base);
  socket.send({ type: 'hello', auth: { kind: 'volunteer', token } });
  await socket.waitFor((f) => f.type === 'welcome');
  socket.send({ type: 'position', ...at, accuracyM: 10, ref: 'p1' });
  // Positions are handled asynchronously (pings are answered at once): wait until the API has it.
  for (let i = 0; i < 100; i++) {
    const duty = await api(base, 'GET', '/api/volunteer/duty', undefined, { authorization: `Bearer ${token}` });
    if (duty.body.position?.lat === at.lat) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return { id: user.id, token, socket };
}

export const eventOf = (type: string, incidentId?: string) => (f: Record<string, any>) =>
  f.type === 'event' && f.event?.type === type && (incidentId === undefined || f.incidentId === incidentId);

/**
 * Waits until a volunteer's position reached the database: a process writes positions in batches,
 * and another process plans from the database.
 */
export async function positionStored(database: Database, volunteerId: string): Promise<void> {
  await vi.waitFor(async () => expect((await database.db.select().from(volunteerDuty).where(eq(volunteerDuty.userId, volunteerId)))[0]?.lat).not.toBeNull(), { timeout: 10_000 });
}
