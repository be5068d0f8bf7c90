// Likely Pax8 companies for an unbound ConnectWise company: name similarity after normalising the
// usual noise ("&" vs "and", punctuation, legal suffixes), best first.
export type NamedCompany = { id: string; name: string };

const suffixes = new Set(['llc', 'inc', 'ltd', 'co', 'corp', 'corporation', 'company', 'plc', 'gmbh', 'the']);

export function normalizeName(name: string): string[] {
  return name
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter((w) => w !== '' && !suffixes.has(w));
}

function bigrams(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < text.length - 1; i++) {
    const g = text.slice(i, i + 2);
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

/** Dice similarity of the normalised names' letter pairs, 0..1, rounded to two places. */
export function nameScore(a: string, b: string): number {
  const x = normalizeName(a).join(' ');
  const y = normalizeName(b).join(' ');
  if (x === '' || y === '') return 0;
  if (x === y) return 1;
  const gx = bigrams(x);
  const gy = bigrams(y);
  let shared = 0;
  for (const [g, n] of gx) shared += Math.min(n, gy.get(g) ?? 0);
  const total = Math.max(1, x.length - 1 + (y.length - 1));
  return Math.round(((2 * shared) / total) * 100) / 100;
}

export function rankCandidates(
  name: string,
  companies: readonly NamedCompany[],
  limit = 5,
  minScore = 0.5,
): { pax8CompanyId: string; name: string; score: number }[] {
  return companies
    .map((c) => ({ pax8CompanyId: c.id, name: c.name, score: nameScore(name, c.name) }))
    .filter((c) => c.score >= minScore)
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name))
    .slice(0, limit);
}
