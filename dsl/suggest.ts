/** `; did you mean 'email'?` for a misspelt name, or '' when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const best = closestName(name, candidates);
  return best === undefined ? '' : `; did you mean '${best}'?`;
}

/** The fix {@link didYouMean} words, `{ from: name, to: candidate }`, or undefined when nothing is close. */
export function suggestName(name: string, candidates: Iterable<string>): { from: string; to: string } | undefined {
  const best = closestName(name, candidates);
  return best === undefined ? undefined : { from: name, to: best };
}

/** The candidate a misspelt name most likely meant, or undefined when nothing is close (the fix {@link didYouMean} words). */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const [a, b] = [name.toLowerCase(), candidate.toLowerCase()];
    // An abbreviation (sales-mgr for sales-manager) is close even when many letters are missing.
    const abbreviation = a.length > 2 && isSubsequence(a, b) ? Math.ceil((b.length - a.length) / 2) : Infinity;
    const distance = Math.min(editDistance(a, b), abbreviation);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.max(1, Math.floor(name.length / 3));
  return best !== undefined && bestDistance <= limit ? best : undefined;
}

function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (const char of long) if (char === short[i]) i += 1;
  return i === short.length;
}

/** Damerau–Levenshtein distance (optimal string alignment): a swapped pair of letters counts once. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number) => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, at(i - 2, j - 2) + 1);
      d[i * cols + j] = value;
    }
  }
  return at(rows - 1, cols - 1);
}

/** `a, b and c`. */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
