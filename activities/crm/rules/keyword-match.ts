/*
 * How a keyword is found in what customers write, in English and Chinese alike (the ticket
 * classifier and the survey analysis share it).
 */

// Scripts written without spaces between words: a keyword in them can only be found as a substring.
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
// A Latin word ends where Latin letters and digits end, so `login` is found in `无法login了`
// (a Han neighbour is a boundary) but not in `blogging`. `\b` is ASCII-only and would miss that.
const WORD_BEFORE = '(?<![\\p{Script=Latin}\\p{N}_])';
const WORD_AFTER = '(?![\\p{Script=Latin}\\p{N}_])';

/**
 * The pattern of one keyword: a Chinese (Japanese, Korean) keyword matches anywhere; a Latin one
 * matches whole words, a trailing `*` makes it a prefix, and the words of a phrase may be separated
 * by any white space. Case-insensitive, NFKC-normalised (full-width `ｌｏｇｉｎ` is `login`).
 * Null for a keyword with nothing to match (`*` alone).
 */
export function keywordPattern(keyword: string): RegExp | null {
  const word = keyword.normalize('NFKC').trim();
  if (UNSPACED_SCRIPT.test(word)) return new RegExp(escapeRegExp(word), 'iu');
  const prefix = word.endsWith('*');
  const stem = (prefix ? word.slice(0, -1) : word).trim();
  if (stem === '') return null;
  const body = stem.split(/\s+/).map(escapeRegExp).join('\\s+');
  return new RegExp(`${WORD_BEFORE}${body}${prefix ? '' : WORD_AFTER}`, 'iu');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
