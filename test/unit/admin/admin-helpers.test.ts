import { describe, expect, it } from 'vitest';
import { QR_CODE_ALPHABET, QR_CODE_LENGTH } from '../../../api/import/qr-spots.ts';
import { openingHoursProblem } from '../../../api/services/admin-aeds.ts';
import { randomSpotCode } from '../../../api/services/admin-qr.ts';
import { instantOnCampusClock } from '../../../api/services/coverage.ts';
import { renderQrSheetSvg, spotUrl } from '../../../api/services/qr-sheet.ts';

describe('randomSpotCode', () => {
  it('draws 8 characters of the QR alphabet, with no two of 20,000 codes alike', () => {
    const codes = Array.from({ length: 20_000 }, randomSpotCode);
    for (const code of codes) expect(code).toMatch(new RegExp(`^[${QR_CODE_ALPHABET}]{${QR_CODE_LENGTH}}$`));
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('uses every character about equally often, so a code says nothing about the next', () => {
    const counts = new Map<string, number>();
    const codes = 100_000;
    for (let i = 0; i < codes; i++) for (const ch of randomSpotCode()) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(QR_CODE_ALPHABET.length);
    const expected = (codes * QR_CODE_LENGTH) / QR_CODE_ALPHABET.length;
    // 800,000 draws over 31 characters: a count's standard deviation is 0.61 % of its mean, so 5 % is
    // 8 of them (a fair generator never fails), while a byte taken modulo 31 would put 9 % too many on
    // the first 8 characters. (With 160,000 draws 5 % was 3.7 deviations: CI saw 5.02 % once.)
    for (const n of counts.values()) expect(Math.abs(n - expected) / expected).toBeLessThan(0.05);
  });
});

describe('openingHoursProblem', () => {
  it.each(['24/7', 'Mo-Fr 08:00-18:00', 'Mo-Fr 07:30-24:00; Sa,Su 10:00-22:00', 'Mo-Su 08:00-23:00; PH off'])('accepts %s', (value) => {
    expect(openingHoursProblem(value)).toBeNull();
  });

  it.each(['Mo-Fr 8-18 maybe', 'always', 'Mo-Fr 25:00-26:00'])('explains why %s is not opening_hours syntax', (value) => {
    expect(openingHoursProblem(value)).toEqual(expect.any(String));
  });
});

describe('instantOnCampusClock', () => {
  it('finds 14:00 in Evanston in summer (UTC-5) and winter (UTC-6)', () => {
    expect(instantOnCampusClock({ year: 2025, month: 6, day: 3 }, 14, 'America/Chicago').toISOString()).toBe('2025-06-03T19:00:00.000Z');
    expect(instantOnCampusClock({ year: 2025, month: 1, day: 7 }, 14, 'America/Chicago').toISOString()).toBe('2025-01-07T20:00:00.000Z');
  });

  it('finds 08:00 in Shanghai (UTC+8) and keeps UTC as it is', () => {
    expect(instantOnCampusClock({ year: 2025, month: 9, day: 1 }, 8, 'Asia/Shanghai').toISOString()).toBe('2025-09-01T00:00:00.000Z');
    expect(instantOnCampusClock({ year: 2025, month: 9, day: 1 }, 8, 'UTC').toISOString()).toBe('2025-09-01T08:00:00.000Z');
  });
});

describe('renderQrSheetSvg', () => {
  const spot = { code: 'abcd2345', buildingName: 'Hall <A> & "B"', floor: '2', entrance: 'North door', entranceZh: '北门' };

  it('says 扫码急救 / Scan in an emergency, where the spot is, and 120', () => {
    const svg = renderQrSheetSvg(spot, spotUrl('https://aed.example.edu/', spot.code));
    for (const text of ['扫码急救', 'Scan in an emergency', '120', '北门', 'North door', 'https://aed.example.edu/e/abcd2345', '3 层 · Level 2 above ground']) expect(svg).toContain(text);
    expect(svg).toContain('Hall &lt;A&gt; &amp; &quot;B&quot;');
    expect(svg).not.toContain('<A>');
  });

  it('draws a larger symbol for a longer URL', () => {
    const size = (svg: string) => Number(svg.match(/viewBox="0 0 (\d+) \1"/)![1]);
    const short = renderQrSheetSvg(spot, 'https://a.cn/e/abcd2345');
    const long = renderQrSheetSvg(spot, `https://${'x'.repeat(120)}.example.edu/e/abcd2345`);
    expect(size(long)).toBeGreaterThan(size(short));
  });
});
