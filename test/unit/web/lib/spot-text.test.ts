import { describe, expect, it } from 'vitest';
import { floorText, spotLine } from '../../../../web/src/lib/spot-text.ts';

describe('spotLine', () => {
  const spot = { buildingName: 'Norris University Center', floor: '1', entrance: 'East door', entranceZh: '东门' };

  it("reads building · floor · entrance in the reader's language, floors counted as there", () => {
    expect(spotLine('zh-CN', spot)).toBe('Norris University Center · 2 层 · 东门');
    expect(spotLine('en', spot)).toBe('Norris University Center · Level 1 above ground · East door');
  });

  it('leaves out what the spot does not have, falling back to the other language', () => {
    expect(spotLine('zh-CN', { buildingName: 'Library', floor: null, entrance: 'South door', entranceZh: null })).toBe('Library · South door');
    expect(spotLine('en', { floor: '0' })).toBe('Ground floor');
    expect(spotLine('en', {})).toBe('');
    expect(floorText('zh-CN', null)).toBe('');
  });
});
