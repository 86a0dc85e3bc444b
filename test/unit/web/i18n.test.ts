import { describe, expect, it } from 'vitest';
import { appMessages } from '../../../web/src/app/messages.ts';
import { mapMessages } from '../../../web/src/components/campus-map/messages.ts';
import { componentMessages } from '../../../web/src/components/messages.ts';
import { bystanderMessages } from '../../../web/src/features/bystander/messages.ts';
import { responderMessages } from '../../../web/src/features/responder/messages.ts';
import { formatClock, LANGS, pickText, translate, type Messages } from '../../../web/src/lib/i18n.ts';

const modules: Record<string, Messages> = { appMessages, componentMessages, mapMessages, bystanderMessages, responderMessages };

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe.each(Object.entries(modules))('%s', (_name, messages) => {
  it('has every zh-CN key in English and every English key in zh-CN', () => {
    expect(Object.keys(messages.en).sort()).toEqual(Object.keys(messages['zh-CN']).sort());
  });

  it('has no empty string in any language', () => {
    for (const lang of LANGS) for (const [key, value] of Object.entries(messages[lang])) expect(value.trim(), `${lang}.${key}`).not.toBe('');
  });

  it('uses the same placeholders in both languages', () => {
    for (const key of Object.keys(messages['zh-CN'])) expect(placeholders(messages.en[key]!), key).toEqual(placeholders(messages['zh-CN'][key]!));
  });

  it('writes the Chinese strings in Chinese', () => {
    // Every zh-CN string holds a CJK character, except acronyms (SOS, AED) and the language switch,
    // which is written in the language it switches to so that its reader can find it, and strings of
    // placeholders alone (with Chinese punctuation between them: '{field}：{problem}').
    const exempt = /^(SOS|AED|\{\w+\}([：，、]\{\w+\})*)$/;
    const switchKeys = new Set(['switchTo', 'switchLabel']);
    for (const [key, value] of Object.entries(messages['zh-CN'])) {
      if (!exempt.test(value) && !switchKeys.has(key)) expect(/[\u3400-\u9fff]/.test(value), `zh-CN.${key} = ${value}`).toBe(true);
    }
  });
});

describe('translate', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate(bystanderMessages, 'zh-CN', 'alerted', { count: 3 })).toBe('已通知 3 名志愿者');
    expect(translate(bystanderMessages, 'en', 'alerted', { count: 3 })).toBe('3 volunteers alerted');
    expect(translate(bystanderMessages, 'en', 'alerted')).toBe('{count} volunteers alerted');
  });
});

describe('formatClock', () => {
  it('shows m:ss, never negative', () => {
    expect([0, 9, 60, 90, 754.4, -5].map(formatClock)).toEqual(['0:00', '0:09', '1:00', '1:30', '12:34', '0:00']);
  });
});

describe('pickText', () => {
  it('prefers the reader language, then the untranslated text, then the other language', () => {
    expect(pickText('zh-CN', '一楼', 'Level 1')).toBe('一楼');
    expect(pickText('en', '一楼', 'Level 1')).toBe('Level 1');
    expect(pickText('en', '一楼', null, 'raw')).toBe('raw');
    expect(pickText('en', '一楼', null)).toBe('一楼');
  });
});
