import { describe, expect, it } from 'vitest';
import { hoursAhead, usableNow } from '../../../api/domain/availability.ts';
import type { AedForPlanning } from '../../../api/domain/types.ts';

const CHICAGO = { timezone: 'America/Chicago' };
// 2025-06-10 is a Tuesday; Chicago is on CDT (UTC-5).
const TUESDAY_10AM = new Date('2025-06-10T15:00:00Z');
const TUESDAY_3AM = new Date('2025-06-10T08:00:00Z');

function aed(overrides: Partial<AedForPlanning> = {}): AedForPlanning {
  return {
    id: 'NU-1',
    lat: 42.0532,
    lng: -87.6731,
    level: 0,
    indoor: true,
    access: 'yes',
    openingHours: 'Mo-Fr 08:00-18:00',
    status: 'in_service',
    claimedByIncidentId: null,
    padExpiresOn: null,
    batteryExpiresOn: null,
    ...overrides,
  };
}

describe('usableNow', () => {
  it('is usable inside its opening hours', () => {
    expect(usableNow(aed(), TUESDAY_10AM, CHICAGO)).toEqual({ usable: true, reasons: [] });
  });

  it('is closed at night', () => {
    expect(usableNow(aed(), TUESDAY_3AM, CHICAGO)).toEqual({ usable: false, reasons: ['closed'] });
  });

  it('is open at night when the hours are 24/7 or absent', () => {
    expect(usableNow(aed({ openingHours: '24/7' }), TUESDAY_3AM, CHICAGO).usable).toBe(true);
    expect(usableNow(aed({ openingHours: null }), TUESDAY_3AM, CHICAGO).usable).toBe(true);
  });

  it('reads the hours on the campus clock, not the server clock', () => {
    const noonUtc = new Date('2025-06-10T12:00:00Z'); // 07:00 in Chicago
    expect(usableNow(aed(), noonUtc, { timezone: 'UTC' }).usable).toBe(true);
    expect(usableNow(aed(), noonUtc, CHICAGO).reasons).toEqual(['closed']);
  });

  it('refuses an unknown time zone by code', () => {
    expect(() => usableNow(aed(), TUESDAY_10AM, { timezone: 'Mars/Olympus' })).toThrow(expect.objectContaining({ code: 'INVALID_TIMEZONE' }));
  });

  it('reports unparseable hours for an admin to fix', () => {
    expect(usableNow(aed({ openingHours: 'office hours' }), TUESDAY_10AM, CHICAGO).reasons).toEqual(['bad_opening_hours']);
  });

  it('treats an unknown state as not usable', () => {
    const saturdayNoon = new Date('2025-06-14T17:00:00Z');
    expect(usableNow(aed({ openingHours: 'Mo-Fr 08:00-18:00; Sa unknown' }), saturdayNoon, CHICAGO).reasons).toEqual(['hours_unknown']);
  });

  it('closes on public holidays when the campus region is known', () => {
    const july4 = new Date('2025-07-04T15:00:00Z'); // a Friday, 10:00 in Chicago
    const hours = aed({ openingHours: 'Mo-Fr 08:00-18:00; PH off' });
    expect(usableNow(hours, july4, { ...CHICAGO, region: { countryCode: 'US', state: 'Illinois' } }).reasons).toEqual(['closed']);
    expect(usableNow(hours, july4, CHICAGO).usable).toBe(true);
  });

  it('is not usable out of service, in use or retired', () => {
    for (const status of ['out_of_service', 'in_use', 'retired'] as const) {
      expect(usableNow(aed({ status }), TUESDAY_10AM, CHICAGO).reasons).toEqual(['status']);
    }
  });

  it('is not usable while another incident holds it, but is for that incident', () => {
    const claimed = aed({ claimedByIncidentId: 'inc-1' });
    expect(usableNow(claimed, TUESDAY_10AM, { ...CHICAGO, incidentId: 'inc-2' }).reasons).toEqual(['claimed']);
    expect(usableNow(claimed, TUESDAY_10AM, CHICAGO).reasons).toEqual(['claimed']);
    expect(usableNow(claimed, TUESDAY_10AM, { ...CHICAGO, incidentId: 'inc-1' }).usable).toBe(true);
  });

  it('refuses access=private and access=no unless the campus allows them', () => {
    for (const access of ['private', 'no', 'Private']) {
      expect(usableNow(aed({ access }), TUESDAY_10AM, CHICAGO).reasons).toEqual(['no_access']);
      expect(usableNow(aed({ access }), TUESDAY_10AM, { ...CHICAGO, allowPrivate: true }).usable).toBe(true);
    }
    expect(usableNow(aed({ access: 'customers' }), TUESDAY_10AM, CHICAGO).usable).toBe(true);
  });

  it('is not usable after the pads or the battery expire, and is on the expiry day itself', () => {
    expect(usableNow(aed({ padExpiresOn: '2025-06-09' }), TUESDAY_10AM, CHICAGO).reasons).toEqual(['pads_expired']);
    expect(usableNow(aed({ batteryExpiresOn: '2025-06-09' }), TUESDAY_10AM, CHICAGO).reasons).toEqual(['battery_expired']);
    expect(usableNow(aed({ padExpiresOn: '2025-06-10', batteryExpiresOn: '2025-06-10' }), TUESDAY_10AM, CHICAGO).usable).toBe(true);
  });

  it('counts expiry days on the campus calendar', () => {
    const lateEveningJune9InChicago = new Date('2025-06-10T03:00:00Z');
    const expiring = aed({ openingHours: null, padExpiresOn: '2025-06-09' });
    expect(usableNow(expiring, lateEveningJune9InChicago, CHICAGO).usable).toBe(true);
    expect(usableNow(expiring, lateEveningJune9InChicago, { timezone: 'UTC' }).reasons).toEqual(['pads_expired']);
  });

  it('lists every reason that applies', () => {
    const broken = aed({ status: 'out_of_service', claimedByIncidentId: 'x', access: 'private', padExpiresOn: '2020-01-01', batteryExpiresOn: '2020-01-01' });
    expect(usableNow(broken, TUESDAY_3AM, CHICAGO).reasons).toEqual(['status', 'claimed', 'closed', 'no_access', 'pads_expired', 'battery_expired']);
  });
});

describe('usableNow with openForS (the planner asks for its time budget)', () => {
  it('refuses an AED that closes before a runner could reach it', () => {
    const closing = new Date('2025-06-10T22:58:00Z'); // Tuesday 17:58 in Chicago; open until 18:00
    expect(usableNow(aed(), closing, CHICAGO)).toEqual({ usable: true, reasons: [] });
    expect(usableNow(aed(), closing, { ...CHICAGO, openForS: 240 })).toEqual({ usable: false, reasons: ['closing'] });
    expect(usableNow(aed(), new Date('2025-06-10T22:55:00Z'), { ...CHICAGO, openForS: 240 }).usable).toBe(true); // 17:55: open 5 min more
  });

  it('keeps AEDs without hours or open around the clock', () => {
    for (const openingHours of [null, '24/7', 'Mo-Su 00:00-24:00']) expect(usableNow(aed({ openingHours }), TUESDAY_3AM, { ...CHICAGO, openForS: 240 }).usable).toBe(true);
  });

  it('says closed, not closing, for an AED closed now', () => {
    expect(usableNow(aed(), TUESDAY_3AM, { ...CHICAGO, openForS: 240 }).reasons).toEqual(['closed']);
  });
});

describe('hoursAhead', () => {
  it('says until when an open AED stays open, and from when a closed one opens, on the campus clock', () => {
    expect(hoursAhead(aed(), TUESDAY_10AM, CHICAGO)).toEqual({ open: true, next: { time: '18:00', inDays: 0 } });
    expect(hoursAhead(aed(), TUESDAY_3AM, CHICAGO)).toEqual({ open: false, next: { time: '08:00', inDays: 0 } });
    // 20:00 in Shanghai is noon UTC: the campus's evening, not the server's noon.
    const noonUtc = new Date('2025-06-10T12:00:00Z');
    expect(hoursAhead(aed({ openingHours: 'Mo-Su 08:00-22:00' }), noonUtc, { timezone: 'Asia/Shanghai' })).toEqual({ open: true, next: { time: '22:00', inDays: 0 } });
    expect(hoursAhead(aed({ openingHours: 'Mo-Su 08:00-11:00' }), noonUtc, { timezone: 'UTC' })).toEqual({ open: false, next: { time: '08:00', inDays: 1 } });
  });

  it('counts calendar days to the next change: over the weekend, past midnight', () => {
    const fridayEvening = new Date('2025-06-14T00:00:00Z'); // Friday 19:00 in Chicago
    expect(hoursAhead(aed(), fridayEvening, CHICAGO)).toEqual({ open: false, next: { time: '08:00', inDays: 3 } });
    expect(hoursAhead(aed({ openingHours: 'Mo-Su 07:30-24:00' }), fridayEvening, CHICAGO)).toEqual({ open: true, next: { time: '00:00', inDays: 1 } });
    expect(hoursAhead(aed({ openingHours: 'Mo-Su 18:00-02:00' }), fridayEvening, CHICAGO)).toEqual({ open: true, next: { time: '02:00', inDays: 1 } });
  });

  it('has no next change for hours that never close', () => {
    expect(hoursAhead(aed({ openingHours: '24/7' }), TUESDAY_3AM, CHICAGO)).toEqual({ open: true, next: null });
    expect(hoursAhead(aed({ openingHours: 'Mo-Su 00:00-24:00' }), TUESDAY_3AM, CHICAGO)).toEqual({ open: true, next: null });
  });

  it('is null without hours to read: none, unparseable, or unknown now', () => {
    expect(hoursAhead(aed({ openingHours: null }), TUESDAY_10AM, CHICAGO)).toBeNull();
    expect(hoursAhead(aed({ openingHours: '  ' }), TUESDAY_10AM, CHICAGO)).toBeNull();
    expect(hoursAhead(aed({ openingHours: 'Mo-Fr 8-18 maybe' }), TUESDAY_10AM, CHICAGO)).toBeNull();
    expect(hoursAhead(aed({ openingHours: 'Mo-Fr 08:00-18:00; Tu unknown' }), TUESDAY_10AM, CHICAGO)).toBeNull();
  });

  it('agrees with usableNow on whether the hours are open', () => {
    for (const openingHours of ['Mo-Fr 08:00-18:00', '24/7', 'Mo-Su 18:00-02:00', 'Sa,Su 10:00-12:00', 'Tu 09:00-09:30']) {
      for (const at of [TUESDAY_10AM, TUESDAY_3AM, new Date('2025-06-14T00:00:00Z')]) {
        expect(hoursAhead(aed({ openingHours }), at, CHICAGO)?.open, `${openingHours} at ${at.toISOString()}`).toBe(usableNow(aed({ openingHours }), at, CHICAGO).usable);
      }
    }
  });
});
