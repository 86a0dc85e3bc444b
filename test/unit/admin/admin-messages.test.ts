import { describe, expect, it } from 'vitest';
import { adminMessages } from '../../../web/src/features/admin/i18n.ts';
import { LANGS, translate } from '../../../web/src/lib/i18n.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('adminMessages', () => {
  it('has every zh-CN key in English and every English key in zh-CN', () => {
    expect(Object.keys(adminMessages.en).sort()).toEqual(Object.keys(adminMessages['zh-CN']).sort());
  });

  it('has no empty string in any language and the same placeholders in both', () => {
    for (const lang of LANGS) for (const [key, value] of Object.entries(adminMessages[lang])) expect(value.trim(), `${lang}.${key}`).not.toBe('');
    for (const key of Object.keys(adminMessages['zh-CN']) as (keyof typeof adminMessages.en)[]) {
      expect(placeholders(adminMessages.en[key]), key).toEqual(placeholders(adminMessages['zh-CN'][key]));
    }
  });

  it('writes the Chinese strings in Chinese', () => {
    for (const [key, value] of Object.entries(adminMessages['zh-CN'])) expect(/[\u3400-\u9fff]/.test(value), `zh-CN.${key} = ${value}`).toBe(true);
  });

  it('names every status, reason and timeline event the API sends', () => {
    const keys = new Set(Object.keys(adminMessages.en));
    const needed = [
      ...['in_service', 'in_use', 'out_of_service', 'retired'].map((s) => `status_${s}`),
      ...['status', 'claimed', 'closed', 'hours_unknown', 'bad_opening_hours', 'no_access', 'pads_expired', 'battery_expired'].map((r) => `reason_${r}`),
      ...['created', 'planned', 'alerted', 'accepted', 'declined', 'arrived', 'escalated', 'escalation_exhausted', 'reassigned', 'resolved', 'cancelled'].map((e) => `ev_${e}`),
      ...['none', 'valid', 'expiring', 'expired'].map((c) => `cert_${c}`),
    ];
    expect(needed.filter((k) => !keys.has(k))).toEqual([]);
    expect(translate(adminMessages, 'en', 'covSuggestGain', { cells: 23, share: '54.2%' })).toBe('+23 cells covered, coverage rises to 54.2%');
  });
});
