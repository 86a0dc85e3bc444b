import { describe, expect, it } from 'vitest';
import { DEMO_CAMPUS_DIR, loadCampusGeoData } from '../../../api/import/geo-data.ts';

const ZH_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const EN_COUNTS = ['', 'One', 'Two', 'Three', 'Four', 'Five'];

// The pages say an AED's floor from its OSM level (0 the ground floor, so level 1 is 二楼) right
// beside its location text: the two must not disagree, or a runner goes to the wrong floor.
describe('the demo AEDs', () => {
  it('say the floor their OSM level is on, in both languages', async () => {
    const { aeds } = await loadCampusGeoData(DEMO_CAMPUS_DIR);
    let checked = 0;
    for (const aed of aeds) {
      const tags = aed.properties as Record<string, string>;
      const level = Number(tags.level ?? '0');
      const zh = tags['defibrillator:location'] ?? '';
      const en = tags['defibrillator:location:en'] ?? '';
      const storey = /([一二三四五六七八九])[楼层]/.exec(zh)?.[1];
      if (storey) {
        expect(ZH_DIGITS.indexOf(storey), `${tags.ref}: ${zh}`).toBe(level + 1);
        checked++;
      }
      expect(en, tags.ref).not.toMatch(/\bLevel \d/); // numbered floors mean different floors in the US and the UK
      if (/^Ground floor/.test(en)) expect(level, `${tags.ref}: ${en}`).toBe(0);
      const up = /^(\w+) floors? up/.exec(en)?.[1];
      if (up) expect(EN_COUNTS.indexOf(up), `${tags.ref}: ${en}`).toBe(level);
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });
});
