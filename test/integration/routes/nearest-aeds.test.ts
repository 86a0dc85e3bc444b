import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../api/server.ts';
import { startTestServer } from '../../support/app.ts';
import { openTestDb, testDrivers, type TestDatabase } from '../../support/db.ts';
import { createFakeClock } from '../../support/fake-clock.ts';
import { LIBRARY_QR } from '../dispatch/helpers.ts';
import { http } from '../security/security-helpers.ts';

/**
 * The nearest AEDs say whether their hours have them open and until or from when, on the campus's
 * clock (the demo campus is in Evanston: America/Chicago), whatever the server's zone.
 */
describe.each(testDrivers)('nearest AEDs with their hours now on %s', (driver) => {
  let database: TestDatabase;
  let server: RunningServer;
  const clock = createFakeClock();

  beforeAll(async () => {
    database = await openTestDb(driver);
    server = await startTestServer(database, { SEED_DEMO: 'true' }, { clock });
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  async function hoursAt(at: string) {
    clock.set(new Date(at));
    const spot = (await http(server.url, 'GET', `/api/qr/${LIBRARY_QR}`)).body;
    const res = await http(server.url, 'GET', `/api/aeds/nearest?lat=${spot.lat}&lng=${spot.lng}&limit=20`);
    expect(res.status).toBe(200);
    const aeds = res.body.aeds as { openingHours: string | null; hoursNow: unknown; location: string | null; locationZh: string | null; building: unknown; usableNow: boolean; closesBeforeArrival: boolean; walkTimeS: number }[];
    expect(aeds.length).toBe(12);
    lastBuildings = new Map(aeds.map((a) => [a.locationZh ?? a.location, a.building]));
    lastAeds = aeds;
    return new Map(aeds.map((a) => [a.openingHours, a.hoursNow]));
  }
  let lastBuildings = new Map<string | null, unknown>();
  let lastAeds: { openingHours: string | null; usableNow: boolean; closesBeforeArrival: boolean; walkTimeS: number }[] = [];

  it('warns of an AED that is open now but closes before someone walking there arrives', async () => {
    await hoursAt('2026-11-30T23:57:00Z'); // Monday 17:57 in Evanston: the 08:00-18:00 AED is open three more minutes
    const office = lastAeds.find((a) => a.openingHours === 'Mo-Fr 08:00-18:00')!;
    expect(office.walkTimeS).toBeGreaterThan(180);
    expect(office).toMatchObject({ usableNow: true, closesBeforeArrival: true });
    // Open around the clock, or well before closing: nothing to warn of.
    expect(lastAeds.filter((a) => a.openingHours === '24/7').some((a) => a.closesBeforeArrival)).toBe(false);
    await hoursAt('2026-11-30T15:00:00Z');
    expect(lastAeds.some((a) => a.closesBeforeArrival)).toBe(false);
  });

  it('names the campus building each AED is in or on', async () => {
    await hoursAt('2026-11-30T15:00:00Z');
    expect(lastBuildings.get('三楼健身区楼梯口')).toEqual({ name: 'Blomquist Recreation Center', nameZh: null });
    expect(lastBuildings.get('西侧入口外墙上的加热急救箱内')).toEqual({ name: 'University Hall', nameZh: null });
    expect([...lastBuildings.values()].every((b) => b !== null)).toBe(true);
  });

  it('on a Monday morning: open until tonight, until midnight, or around the clock', async () => {
    const hours = await hoursAt('2026-11-30T15:00:00Z'); // Monday 09:00 in Evanston
    expect(hours.get('24/7')).toEqual({ open: true, next: null });
    expect(hours.get('Mo-Fr 08:00-18:00')).toEqual({ open: true, next: { time: '18:00', inDays: 0 } });
    expect(hours.get('Mo-Fr 06:00-23:00; Sa,Su 08:00-21:00')).toEqual({ open: true, next: { time: '23:00', inDays: 0 } });
    expect(hours.get('Mo-Fr 07:30-24:00; Sa,Su 10:00-22:00')).toEqual({ open: true, next: { time: '00:00', inDays: 1 } });
  });

  it('before dawn and on a Friday night: closed, and from when they open', async () => {
    const dawn = await hoursAt('2026-11-30T11:00:00Z'); // Monday 05:00
    expect(dawn.get('Mo-Fr 08:00-18:00')).toEqual({ open: false, next: { time: '08:00', inDays: 0 } });
    expect(dawn.get('24/7')).toEqual({ open: true, next: null });
    const friday = await hoursAt('2026-12-05T04:30:00Z'); // Friday 22:30
    expect(friday.get('Mo-Fr 08:00-18:00')).toEqual({ open: false, next: { time: '08:00', inDays: 3 } });
    expect(friday.get('Mo-Fr 07:30-24:00; Sa,Su 10:00-22:00')).toEqual({ open: true, next: { time: '00:00', inDays: 1 } });
    expect(friday.get('Mo-Fr 06:00-23:00; Sa,Su 08:00-21:00')).toEqual({ open: true, next: { time: '23:00', inDays: 0 } });
  });
});
