import { describe, expect, it } from 'vitest';
import { aedPlace, floorText, spotLine } from '../../../../web/src/lib/spot-text.ts';

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

describe('aedPlace', () => {
  const aed = { location: null, locationZh: '三楼健身区楼梯口', locationEn: 'Top of the stairs, gym, level 2', building: { name: 'Blomquist Recreation Center', nameZh: null } };

  it("reads building · where it hangs, in the reader's language", () => {
    expect(aedPlace('zh-CN', aed)).toBe('Blomquist Recreation Center · 三楼健身区楼梯口');
    expect(aedPlace('en', aed)).toBe('Blomquist Recreation Center · Top of the stairs, gym, level 2');
    expect(aedPlace('zh-CN', { ...aed, building: { name: 'Library', nameZh: '图书馆' } })).toBe('图书馆 · 三楼健身区楼梯口');
  });

  it('leaves out a building it does not know, as alerts stored before buildings did', () => {
    expect(aedPlace('zh-CN', { ...aed, building: null })).toBe('三楼健身区楼梯口');
    expect(aedPlace('en', { locationZh: '泳池入口' })).toBe('泳池入口');
    expect(aedPlace('en', {})).toBe('');
  });
});
