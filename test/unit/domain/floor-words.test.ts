import { describe, expect, it } from 'vitest';
import { floorWords } from '../../../api/domain/floor-words.ts';

describe('floorWords', () => {
  it('counts floors as in China: OSM level 0 is 1 层, level 2 is 3 层, level -1 the first basement', () => {
    expect(floorWords('0')).toEqual({ zh: '1 层', en: 'Ground floor' });
    expect(floorWords('2')).toEqual({ zh: '3 层', en: 'Level 2 above ground' });
    expect(floorWords('-1')).toEqual({ zh: '地下 1 层', en: 'Basement level 1' });
    expect(floorWords(' 1 ')?.zh).toBe('2 层');
  });

  it('lists several levels and shows text that is no whole number as typed', () => {
    expect(floorWords('0;1')).toEqual({ zh: '1 层 / 2 层', en: 'Ground floor / Level 1 above ground' });
    expect(floorWords('M')).toEqual({ zh: '楼层 M', en: 'Level M' });
    expect(floorWords('1.5')).toEqual({ zh: '楼层 1.5', en: 'Level 1.5' });
  });

  it('says nothing without a floor', () => {
    for (const none of [null, undefined, '', ' ', ';']) expect(floorWords(none)).toBeNull();
  });
});
