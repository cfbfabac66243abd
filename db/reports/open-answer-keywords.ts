/*
 * Keywords of open survey answers in Chinese and English. Chinese has no spaces between words:
 * Intl.Segmenter (ICU's dictionary segmentation, in Node 24) splits both languages into words.
 * Words too short to mean much alone (one Chinese character, English under three letters) and
 * common function words are left out.
 */
const ENGLISH_STOPWORDS = new Set(
  (
    'the and for are but not you your with this that was were have has had its our out very too all any can ' +
    'will would could should just they them their there then than what when who how why which from into about ' +
    'also been being more most some such only over own same so more much many get got did does doing done'
  ).split(' '),
);
const CHINESE_STOPWORDS = new Set([
  '我们',
  '你们',
  '他们',
  '这个',
  '那个',
  '因为',
  '所以',
  '但是',
  '还是',
  '就是',
  '没有',
  '一个',
  '可以',
  '非常',
  '觉得',
]);
const HAN = /\p{Script=Han}/u;

export interface Keyword {
  keyword: string;
  language: 'zh' | 'en';
  /** How many answers use it (once per answer). */
  answers: number;
}

/** The `limit` words most answers use, most used first (ties alphabetically). */
export function openAnswerKeywords(texts: readonly string[], limit: number): Keyword[] {
  const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
  const counts = new Map<string, Keyword>();
  for (const text of texts) {
    const seen = new Set<string>();
    for (const segment of segmenter.segment(text)) {
      if (!segment.isWordLike) continue;
      const word = segment.segment.toLowerCase();
      const chinese = HAN.test(word);
      if (
        chinese
          ? word.length < 2 || CHINESE_STOPWORDS.has(word)
          : word.length < 3 || ENGLISH_STOPWORDS.has(word) || /^\d+$/.test(word)
      )
        continue;
      if (seen.has(word)) continue;
      seen.add(word);
      const keyword = counts.get(word) ?? { keyword: word, language: chinese ? 'zh' : 'en', answers: 0 };
      keyword.answers += 1;
      counts.set(word, keyword);
    }
  }
  return [...counts.values()]
    .sort((a, b) => b.answers - a.answers || a.keyword.localeCompare(b.keyword))
    .slice(0, limit);
}
