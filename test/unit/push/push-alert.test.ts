import { describe, expect, it } from 'vitest';
import type { OutboxEvent } from '../../../api/db/outbox-repository.ts';
import { pushAlertOf } from '../../../api/services/push.ts';

const event = (over: Partial<OutboxEvent> = {}): OutboxEvent => ({
  id: 1,
  recipient: 'user:7c1f0d5e-0000-4000-8000-000000000001',
  seq: 3,
  incidentId: 'inc-1',
  type: 'alert',
  payload: { incidentId: 'inc-1', dispatchId: 'dsp-1', role: 'aed', status: 'alerted', isDrill: true, patient: { lat: 1, lng: 2, level: 0, buildingName: 'Library', floor: '2', entrance: 'South door', entranceZh: '南门' }, aed: { id: 'a' } },
  createdAt: new Date(0),
  ...over,
});

describe('the push message of an outbox event', () => {
  it('is the small alert: id, role, where in Chinese and English, the screen to open', () => {
    expect(pushAlertOf(event())).toEqual({
      alertId: 'inc-1:dsp-1',
      type: 'alert',
      incidentId: 'inc-1',
      role: 'aed',
      patient: 'Library · 3 层 · 南门\nLibrary · Level 2 above ground · South door',
      isDrill: true,
      url: '/responder?incident=inc-1',
    });
  });

  it('is one line where both languages read the same, and leaves out what the spot lacks', () => {
    const at = (patient: Record<string, unknown>) => pushAlertOf(event({ payload: { incidentId: 'inc-1', dispatchId: 'd', role: 'cpr', patient } }))?.patient;
    expect(at({ buildingName: 'Library' })).toBe('Library');
    expect(at({ buildingName: 'Library', entrance: 'South door' })).toBe('Library · South door');
    expect(at({ buildingName: 'Library', floor: '0', entranceZh: '南门' })).toBe('Library · 1 层 · 南门\nLibrary · Ground floor · 南门');
    expect(at({})).toBe('');
  });

  it('is pushed for alerts and assignments to volunteers only', () => {
    expect(pushAlertOf(event({ type: 'assignment' }))?.type).toBe('assignment');
    expect(pushAlertOf(event({ type: 'closed' }))).toBeNull();
    expect(pushAlertOf(event({ type: 'status' }))).toBeNull();
    expect(pushAlertOf(event({ recipient: 'incident:inc-1' }))).toBeNull();
  });

  it('stays far under the 3 KB budget with the longest place names', () => {
    const long = 'x'.repeat(5_000);
    const alert = pushAlertOf(event({ payload: { incidentId: 'inc-1', dispatchId: 'd', role: 'cpr', patient: { buildingName: long, floor: long, entrance: long } } }));
    expect(Buffer.byteLength(JSON.stringify(alert))).toBeLessThan(3 * 1024);
  });
});

describe('the VAPID settings', async () => {
  const { parseConfig, ConfigError } = await import('../../../api/config.ts');
  it('are optional, and the key pair comes whole', () => {
    expect(parseConfig({}).VAPID_PUBLIC_KEY).toBeUndefined();
    expect(parseConfig({ VAPID_PUBLIC_KEY: 'pub', VAPID_PRIVATE_KEY: 'priv', VAPID_SUBJECT: 'mailto:aed@example.edu' })).toMatchObject({ VAPID_PUBLIC_KEY: 'pub', VAPID_SUBJECT: 'mailto:aed@example.edu' });
    expect(() => parseConfig({ VAPID_PUBLIC_KEY: 'pub' })).toThrow(ConfigError);
    expect(() => parseConfig({ VAPID_SUBJECT: 'http://example.edu' })).toThrow(ConfigError);
  });
});
