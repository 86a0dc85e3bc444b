/**
 * How many extra volunteers to alert, and whom: acceptance is far from certain (50-85 % published,
 * DESIGN.md "Dispatch plan"), so the plan alerts backups until all roles are likely filled.
 */

/** A backup alert: who, for which role, and their ETA at the patient in seconds. */
export interface BackupAssignment {
  volunteerId: string;
  role: 'cpr' | 'aed';
  /** The AED a backup runner would fetch. */
  aedId?: string;
  etaS: number;
}

/**
 * Chance that at least `needed` of `alerted` volunteers accept, each independently with `p`.
 */
export function atLeastProbability(alerted: number, needed: number, p: number): number {
  if (needed <= 0) return 1;
  if (alerted < needed) return 0;
  if (p >= 1) return 1;
  // P(X < needed) = sum_{i < needed} C(n, i) p^i (1-p)^(n-i), terms built incrementally.
  let term = (1 - p) ** alerted;
  let below = 0;
  for (let i = 0; i < needed; i++) {
    below += term;
    term *= ((alerted - i) / (i + 1)) * (p / (1 - p));
  }
  return Math.max(0, 1 - below);
}

/**
 * Volunteers to alert in total: the fewest n >= needed with P(at least `needed` accept) >= target,
 * capped by `maxAlerted` and by how many are available (never below `needed`).
 */
export function alertCount(needed: number, p: number, target: number, maxAlerted: number, available: number): number {
  const cap = Math.max(needed, Math.min(maxAlerted, available));
  for (let n = needed; n <= cap; n++) {
    if (atLeastProbability(n, needed, p) >= target) return n;
  }
  return cap;
}

/** Candidates for a backup role, best first. */
export interface BackupPools {
  cpr: { volunteerId: string; etaS: number }[];
  aed: { volunteerId: string; aedId: string; etaS: number }[];
}

/**
 * Picks `count` backups from volunteers not in the plan, alternating roles so both stay covered:
 * runner first when an AED can be fetched (the AED is what defibrillates), then CPR, and so on.
 * Each volunteer is picked once; when one pool runs dry the other continues.
 */
export function pickBackups(pools: BackupPools, count: number): BackupAssignment[] {
  const taken = new Set<string>();
  const cursor = { cpr: 0, aed: 0 };
  const next = (role: 'cpr' | 'aed'): BackupAssignment | null => {
    const pool = pools[role];
    while (cursor[role] < pool.length && taken.has(pool[cursor[role]].volunteerId)) cursor[role]++;
    const candidate = pool[cursor[role]];
    return candidate === undefined ? null : { ...candidate, role };
  };
  const backups: BackupAssignment[] = [];
  let role: 'cpr' | 'aed' = pools.aed.length > 0 ? 'aed' : 'cpr';
  while (backups.length < count) {
    const pick = next(role) ?? next(role === 'aed' ? 'cpr' : 'aed');
    if (pick === null) break;
    taken.add(pick.volunteerId);
    backups.push(pick);
    role = role === 'aed' ? 'cpr' : 'aed';
  }
  return backups;
}
