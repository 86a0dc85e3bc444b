/**
 * OSM tags of an AED <-> the registry's columns. The tags are the data model (see the OSM wiki page
 * `Tag:emergency=defibrillator`); the columns are what the matching engine and the admin console
 * read. `columnsFromTags` is the one reading of tags, and `writeColumnsToTags` its inverse, so an
 * export re-imports to the same columns. Pure.
 */

export const AED_STATUSES = ['in_service', 'in_use', 'out_of_service', 'retired'] as const;
export type AedStatus = (typeof AED_STATUSES)[number];

/** The columns derived from an AED's tags. Dates are `YYYY-MM-DD` strings. */
export interface AedColumns {
  access: string | null;
  indoor: boolean | null;
  level: string | null;
  openingHours: string | null;
  location: string | null;
  locationZh: string | null;
  locationEn: string | null;
  /** Every `defibrillator:location:<lang>` variant, keyed by language code. */
  locationTranslations: Record<string, string>;
  operator: string | null;
  phone: string | null;
  checkDate: string | null;
  description: string | null;
  status: AedStatus;
  padExpiresOn: string | null;
  batteryExpiresOn: string | null;
  isDemo: boolean;
}

/**
 * Keys of the free-text location, best first: the current tag, the legacy `aed:location`, and a
 * misspelling that occurs in real data.
 */
export const LOCATION_KEYS = ['defibrillator:location', 'aed:location', 'defribillator:location'] as const;

/** One-to-one text tags (trimmed; empty means absent). */
const TEXT_TAGS = {
  access: 'access',
  level: 'level',
  openingHours: 'opening_hours',
  operator: 'operator',
  description: 'description',
} as const;

/** Our registry extensions: not OSM tags, but written the same way. */
export const EXTENSION_TAGS = { status: 'status', padExpiresOn: 'pad_expiry', batteryExpiresOn: 'battery_expiry', isDemo: 'demo' } as const;

const LANGUAGE = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;

/** True for a real calendar date written `YYYY-MM-DD` (year 1 or later, as PostgreSQL's `date` wants). */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return year >= 1 && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

function text(tags: Readonly<Record<string, string>>, key: string): string | null {
  const value = tags[key]?.trim();
  return value ? value : null;
}

/** `defibrillator:location:<lang>` variants; a legacy key fills a language only when the current key lacks it. */
function locationTranslationsOf(tags: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const prefix of LOCATION_KEYS) {
    for (const key of Object.keys(tags)) {
      if (!key.startsWith(`${prefix}:`)) continue;
      const lang = key.slice(prefix.length + 1);
      const value = text(tags, key);
      if (LANGUAGE.test(lang) && value !== null && !(lang in out)) out[lang] = value;
    }
  }
  return out;
}

function boolOf(value: string | null): boolean | null {
  const v = value?.toLowerCase();
  return v === 'yes' ? true : v === 'no' ? false : null;
}

function dateOf(value: string | null): string | null {
  return value !== null && isIsoDate(value) ? value : null;
}

/**
 * Reads the columns from an AED's tags. Never fails: values that do not fit a column (indoor
 * "partial", check_date "2023-02") leave the column null and stay in the tags only. Invalid
 * registry extensions are found by {@link extensionProblems}.
 */
export function columnsFromTags(tags: Readonly<Record<string, string>>): AedColumns {
  const translations = locationTranslationsOf(tags);
  const status = text(tags, EXTENSION_TAGS.status);
  return {
    access: text(tags, TEXT_TAGS.access),
    indoor: boolOf(text(tags, 'indoor')),
    level: text(tags, TEXT_TAGS.level),
    openingHours: text(tags, TEXT_TAGS.openingHours),
    location: LOCATION_KEYS.map((k) => text(tags, k)).find((v) => v !== null) ?? null,
    locationZh: translations.zh ?? translations['zh-Hans'] ?? null,
    locationEn: translations.en ?? null,
    locationTranslations: translations,
    operator: text(tags, TEXT_TAGS.operator),
    phone: text(tags, 'phone') ?? text(tags, 'contact:phone'),
    checkDate: dateOf(text(tags, 'check_date')),
    description: text(tags, TEXT_TAGS.description),
    status: AED_STATUSES.find((s) => s === status) ?? 'in_service',
    padExpiresOn: dateOf(text(tags, EXTENSION_TAGS.padExpiresOn)),
    batteryExpiresOn: dateOf(text(tags, EXTENSION_TAGS.batteryExpiresOn)),
    isDemo: text(tags, EXTENSION_TAGS.isDemo)?.toLowerCase() === 'yes',
  };
}

/**
 * Problems with our registry extensions (`status`, `pad_expiry`, `battery_expiry`): a wrong value
 * there is a data-entry error in a registry file, and guessing could send a runner to a dead AED.
 */
export function extensionProblems(tags: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  const status = text(tags, EXTENSION_TAGS.status);
  if (status !== null && !AED_STATUSES.some((s) => s === status)) {
    problems.push(`status "${status}" must be one of ${AED_STATUSES.join(', ')}`);
  }
  for (const key of [EXTENSION_TAGS.padExpiresOn, EXTENSION_TAGS.batteryExpiresOn]) {
    const value = text(tags, key);
    if (value !== null && !isIsoDate(value)) problems.push(`${key} "${value}" must be a date YYYY-MM-DD`);
  }
  return problems;
}

function put(tags: Record<string, string>, key: string, value: string | null): void {
  if (value === null) delete tags[key];
  else tags[key] = value;
}

function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

function writeLocations(tags: Record<string, string>, columns: AedColumns): void {
  if (columnsFromTags(tags).location !== columns.location) {
    if (columns.location === null) for (const key of LOCATION_KEYS) delete tags[key];
    else tags[LOCATION_KEYS[0]] = columns.location;
  }
  const current = columnsFromTags(tags).locationTranslations;
  if (!sameRecord(current, columns.locationTranslations)) {
    for (const lang of Object.keys(current)) {
      if (!(lang in columns.locationTranslations)) for (const p of LOCATION_KEYS) delete tags[`${p}:${lang}`];
    }
    for (const [lang, value] of Object.entries(columns.locationTranslations)) {
      if (current[lang] !== value) tags[`${LOCATION_KEYS[0]}:${lang}`] = value;
    }
  }
  for (const [field, lang, alt] of [['locationZh', 'zh', 'zh-Hans'], ['locationEn', 'en', undefined]] as const) {
    if (columnsFromTags(tags)[field] === columns[field]) continue;
    for (const p of LOCATION_KEYS) for (const l of [lang, alt]) if (l) delete tags[`${p}:${l}`];
    if (columns[field] !== null) tags[`${LOCATION_KEYS[0]}:${lang}`] = columns[field];
  }
}

/**
 * The tags with the columns written back: a tag changes only where the column differs from what
 * the tags say, so untouched records keep their tags byte for byte (legacy keys included), and
 * `columnsFromTags(writeColumnsToTags(tags, c))` gives back `c` for trimmed, non-empty texts.
 */
export function writeColumnsToTags(tags: Readonly<Record<string, string>>, columns: AedColumns): Record<string, string> {
  const out = { ...tags };
  const derived = columnsFromTags(tags);
  for (const [field, key] of Object.entries(TEXT_TAGS) as [keyof typeof TEXT_TAGS, string][]) {
    if (derived[field] !== columns[field]) put(out, key, columns[field]);
  }
  if (derived.phone !== columns.phone) {
    delete out['contact:phone'];
    put(out, 'phone', columns.phone);
  }
  if (derived.indoor !== columns.indoor) put(out, 'indoor', columns.indoor === null ? null : columns.indoor ? 'yes' : 'no');
  if (derived.checkDate !== columns.checkDate) put(out, 'check_date', columns.checkDate);
  if (derived.status !== columns.status) put(out, EXTENSION_TAGS.status, columns.status);
  if (derived.padExpiresOn !== columns.padExpiresOn) put(out, EXTENSION_TAGS.padExpiresOn, columns.padExpiresOn);
  if (derived.batteryExpiresOn !== columns.batteryExpiresOn) put(out, EXTENSION_TAGS.batteryExpiresOn, columns.batteryExpiresOn);
  if (derived.isDemo !== columns.isDemo) put(out, EXTENSION_TAGS.isDemo, columns.isDemo ? 'yes' : null);
  writeLocations(out, columns);
  return out;
}
