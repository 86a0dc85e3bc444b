import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { issueZh, messageZh, preferredLanguage } from '../../../api/error-text-zh.ts';

describe('preferredLanguage', () => {
  it('takes the highest-weighted Chinese or English entry', () => {
    expect(preferredLanguage('zh-CN')).toBe('zh-CN');
    expect(preferredLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(preferredLanguage('en-US,en;q=0.9,zh-CN;q=0.8')).toBe('en');
    expect(preferredLanguage('fr-FR, zh-TW;q=0.7, en;q=0.5')).toBe('zh-CN');
    expect(preferredLanguage('ZH')).toBe('zh-CN');
  });

  it('is English without a header, for other languages, and for broken or zero weights', () => {
    expect(preferredLanguage(undefined)).toBe('en');
    expect(preferredLanguage('')).toBe('en');
    expect(preferredLanguage('fr-FR,de;q=0.5')).toBe('en');
    expect(preferredLanguage('zh-CN;q=0, en;q=0.1')).toBe('en');
    expect(preferredLanguage('zh;q=abc')).toBe('en');
    expect(preferredLanguage('zhx, enx')).toBe('en');
  });
});

describe('issueZh', () => {
  const issue = (message: string, rule?: Parameters<typeof issueZh>[0]['rule']) => issueZh({ path: 'x', message, rule });

  it('words an issue from the rule it broke', () => {
    expect(issue('Invalid input: expected string, received undefined', { code: 'invalid_type', expected: 'string', received: 'undefined' })).toBe('必填');
    expect(issue('Invalid input: expected number, received string', { code: 'invalid_type', expected: 'number' })).toBe('须为数字');
    expect(issue('Too small: expected string to have >=8 characters', { code: 'too_small', origin: 'string', minimum: 8, inclusive: true })).toBe('至少 8 个字符');
    expect(issue('Too small: expected string to have >=1 characters', { code: 'too_small', origin: 'string', minimum: 1, inclusive: true })).toBe('不能为空');
    expect(issue('Too big: expected string to have <=100 characters', { code: 'too_big', origin: 'string', maximum: 100, inclusive: true })).toBe('最多 100 个字符');
    expect(issue('Too big: expected number to be <=90', { code: 'too_big', origin: 'number', maximum: 90, inclusive: true })).toBe('不能大于 90');
    expect(issue('Too small: expected number to be >0', { code: 'too_small', origin: 'number', minimum: 0, inclusive: false })).toBe('须大于 0');
    expect(issue('Invalid email address', { code: 'invalid_format', format: 'email' })).toBe('须为电子邮箱地址');
    expect(issue('Invalid string: must match pattern /^a$/', { code: 'invalid_format', format: 'regex' })).toBe('格式不正确');
    expect(issue('Invalid option: expected one of "a"|"b"', { code: 'invalid_value', values: ['a', 'b'] })).toBe('须为以下之一："a"、"b"');
    expect(issue('Unrecognized key: "zz"', { code: 'unrecognized_keys', keys: ['zz'] })).toBe('无法识别的字段：zz');
  });

  it("prefers the Chinese of a schema's own message to the rule's words", () => {
    expect(issue('must be an e-mail address', { code: 'invalid_format', format: 'email' })).toBe('须为电子邮箱地址');
    expect(issue('must be a phone number', { code: 'custom' })).toBe('须为电话号码');
    expect(issue('is not OSM opening_hours syntax: Unexpected token "maybe"', { code: 'custom' })).toBe('不符合 OSM opening_hours 语法：Unexpected token "maybe"');
  });

  it('keeps the English of a message it has no Chinese for', () => {
    expect(issue('some new rule', { code: 'custom' })).toBe('some new rule');
    expect(issue('Something odd')).toBe('Something odd');
    expect(messageZh('A message nobody translated')).toBe('A message nobody translated');
  });

  it('fills the values of patterned messages', () => {
    expect(messageZh('Another AED already has the ref "NU-1"')).toBe('另一台 AED 已使用编号 "NU-1"');
    expect(messageZh("The certificate expired on 2026-01-31; enter the renewed certificate's expiry date")).toBe('证书已于 2026-01-31 过期，请填写更新后证书的到期日');
  });
});

describe("the API's own messages", () => {
  // Each message a route schema or a service writes for a person to read has its Chinese: a new
  // message without one fails here, not on a Chinese page.
  const files = (dir: string): string[] =>
    readdirSync(new URL(`../../../${dir}`, import.meta.url), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : []));
  const sources = [...files('api/routes'), ...files('api/services')].map((f) => readFileSync(new URL(`../../../${f}`, import.meta.url), 'utf8'));
  const written = (pattern: RegExp) => [...new Set(sources.flatMap((src) => [...src.matchAll(pattern)].map((m) => m[1]!)))];

  it('has Chinese for every schema message, validation issue and error of a known kind', () => {
    const messages = [
      // .regex(re, '...'), .refine(fn, '...'), .min(n, '...'), { message: '...' }, { error: '...' }
      ...written(/\.(?:regex|refine|min|max|length|int|positive)\((?:[^,()]|\([^()]*\))+,\s*'([^']+)'\)/g),
      ...written(/\b(?:message|error): '([^']+)'/g),
      // new NotFoundError('...'), new UnauthorizedError('...'), new AppError('CODE', '...'), ...
      ...written(/new (?:NotFound|Unauthorized|Forbidden)Error\('([^']+)'\)/g),
      ...written(/new (?:AppError|ConflictError|RateLimitedError)\('[A-Z_]+', '([^']+)'/g),
    ];
    expect(messages.length).toBeGreaterThan(40);
    const missing = messages.filter((m) => messageZh(m) === m);
    expect(missing).toEqual([]);
  });
});
