import { useCallback, useSyncExternalStore } from 'react';
import { localStore } from './storage.ts';

/** The languages of the UI. zh-CN is the default: the first reader is a Chinese-speaking bystander. */
export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
export const DEFAULT_LANG: Lang = 'zh-CN';

/** One module's strings in every language, with the same keys in each. */
export type Messages<K extends string = string> = Record<Lang, Record<K, string>>;

/** Variables interpolated into `{name}` placeholders. */
export type Vars = Record<string, string | number>;

/** A bound translator: `t('etaIn', { time: '1:30' })`. */
export type Translate<K extends string> = (key: K, vars?: Vars) => string;

/**
 * Declares a module's strings: Chinese first (the source), English with exactly the same keys
 * (the type checker refuses a missing or extra key; test/unit/web checks it again at run time).
 */
export function defineMessages<const K extends string>(zh: Record<K, string>, en: Record<K, string>): Messages<K> {
  return { 'zh-CN': zh, en };
}

/** Looks a key up and fills its `{placeholders}`; an unknown key shows itself rather than nothing. */
export function translate<K extends string>(messages: Messages<K>, lang: Lang, key: K, vars?: Vars): string {
  const template = messages[lang][key] ?? messages[DEFAULT_LANG][key] ?? key;
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

const STORAGE_KEY = 'aed.lang';
const listeners = new Set<() => void>();
let current: Lang = readLang();

function readLang(): Lang {
  const stored = typeof window === 'undefined' ? null : localStore.get(STORAGE_KEY);
  return stored === 'en' || stored === 'zh-CN' ? stored : DEFAULT_LANG;
}

function applyToDocument(lang: Lang) {
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

/** The current language, outside React. */
export function getLang(): Lang {
  return current;
}

/** Switches the language everywhere and remembers the choice on this device. */
export function setLang(lang: Lang): void {
  if (lang === current) return;
  current = lang;
  localStore.set(STORAGE_KEY, lang);
  applyToDocument(lang);
  for (const l of listeners) l();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

applyToDocument(current);

/** The current language; re-renders on a switch. */
export function useLang(): Lang {
  return useSyncExternalStore(subscribe, getLang, () => DEFAULT_LANG);
}

/** A translator for one module's strings in the current language. */
export function useT<K extends string>(messages: Messages<K>): Translate<K> {
  const lang = useLang();
  return useCallback((key: K, vars?: Vars) => translate(messages, lang, key, vars), [messages, lang]);
}

/** Seconds as `m:ss` (an ETA countdown reads the same in both languages). */
export function formatClock(totalS: number): string {
  const s = Math.max(0, Math.round(totalS));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Picks the text in the reader's language from a zh/en pair, falling back to whichever exists. */
export function pickText(lang: Lang, zh: string | null | undefined, en: string | null | undefined, other?: string | null): string {
  const first = lang === 'zh-CN' ? zh : en;
  const second = lang === 'zh-CN' ? en : zh;
  return first || other || second || '';
}
