import { describe, expect, it } from 'vitest';
import { hoursText } from '../../../../../web/src/features/bystander/format.ts';
import { bystanderMessages } from '../../../../../web/src/features/bystander/messages.ts';
import { translate, type Lang } from '../../../../../web/src/lib/i18n.ts';

const RAW = 'Mo-Fr 07:30-24:00; Sa,Su 10:00-22:00';
const say = (lang: Lang, hoursNow: Parameters<typeof hoursText>[1]['hoursNow'], openingHours: string | null = RAW) =>
  hoursText((key, vars) => translate(bystanderMessages, lang, key, vars), { openingHours, hoursNow });

describe('hoursText', () => {
  it('says until when an open AED stays open', () => {
    expect(say('zh-CN', { open: true, next: { time: '22:00', inDays: 0 } })).toBe('开放至 22:00');
    expect(say('en', { open: true, next: { time: '22:00', inDays: 0 } })).toBe('Open until 22:00');
    expect(say('zh-CN', { open: true, next: { time: '02:00', inDays: 1 } })).toBe('开放至明天 02:00');
    expect(say('en', { open: true, next: { time: '02:00', inDays: 1 } })).toBe('Open until 02:00 tomorrow');
  });

  it('says closing at midnight as 24:00 today, the way opening hours write it', () => {
    expect(say('zh-CN', { open: true, next: { time: '00:00', inDays: 1 } })).toBe('开放至 24:00');
  });

  it('says when a closed AED opens, today or tomorrow', () => {
    expect(say('zh-CN', { open: false, next: { time: '08:00', inDays: 0 } })).toBe('今天 08:00 开放');
    expect(say('en', { open: false, next: { time: '08:00', inDays: 1 } })).toBe('Opens tomorrow at 08:00');
  });

  it('says open 24 hours when the hours never close', () => {
    expect(say('zh-CN', { open: true, next: null }, '24/7')).toBe('24 小时开放');
    expect(say('en', { open: true, next: null }, 'Mo-Su 00:00-24:00')).toBe('Open 24 hours');
  });

  it('falls back to the raw hours when the change is days off or the hours cannot be read', () => {
    expect(say('zh-CN', { open: false, next: { time: '08:00', inDays: 3 } })).toBe(`开放时间：${RAW}`);
    expect(say('en', { open: false, next: null }, 'off')).toBe('Open: off');
    expect(say('en', null, 'Mo-Fr 08:00-18:00; Sa unknown')).toBe('Open: Mo-Fr 08:00-18:00; Sa unknown');
    expect(say('en', null, null)).toBeNull();
  });
});
