import { Type, type Static } from 'typebox';
import { checkRuleData } from './check-rule-data';
import { keywordPattern } from './keyword-match';
import { refuse } from './rule-error';

/** The categories a keyword can point at; `other` is what is left when none matches. */
export const KeywordCategory = Type.Enum(['technical', 'sales', 'complaint']);
export type KeywordCategory = Static<typeof KeywordCategory>;

export const TicketCategory = Type.Enum(['technical', 'sales', 'complaint', 'other']);
export type TicketCategory = Static<typeof TicketCategory>;

const Keyword = Type.String({
  minLength: 1,
  pattern: '\\S',
  description: 'Latin: whole words, a trailing * matches as prefix; CJK: any substring',
});
const Queue = Type.String({ minLength: 1, description: 'Queue (role) that works tickets of this category' });
const CategoryEntry = Type.Object({ keywords: Type.Array(Keyword), queue: Queue }, { additionalProperties: false });

export const TicketDictionary = Type.Object(
  {
    categories: Type.Object(
      { technical: CategoryEntry, sales: CategoryEntry, complaint: CategoryEntry },
      { additionalProperties: false },
    ),
    otherQueue: Queue,
    precedence: Type.Array(KeywordCategory, {
      minItems: 3,
      maxItems: 3,
      uniqueItems: true,
      description: 'Winner of a tie, first wins',
    }),
  },
  { additionalProperties: false },
);
export type TicketDictionary = Static<typeof TicketDictionary>;

export const TicketClassification = Type.Object({
  category: TicketCategory,
  matched: Type.Array(Type.String(), {
    description: 'Keywords of the chosen category found in the text, in dictionary order',
  }),
  queue: Queue,
});
export type TicketClassification = Static<typeof TicketClassification>;

/**
 * Classifies a service request from its text. The category with the most distinct matching
 * keywords wins; equal counts go to the first category in `precedence` (complaints first in the
 * defaults: an angry customer must not land in a technical queue because they also said "error").
 * No keyword at all means `other`. Text and keywords are NFKC-normalised, so full-width Latin
 * typed on a Chinese keyboard (`ｌｏｇｉｎ`) matches too.
 */
export function classifyTicket(text: string, dictionary: TicketDictionary): TicketClassification {
  checkRuleData(Type.String(), text, 'rule.invalid-input', 'ticket text');
  checkRuleData(TicketDictionary, dictionary, 'rule.invalid-policy', 'ticket dictionary');
  const normalised = text.normalize('NFKC');
  let best: { category: KeywordCategory; matched: string[] } | undefined;
  for (const category of dictionary.precedence) {
    const matched = dictionary.categories[category].keywords.filter((keyword) =>
      keywordPatternOf(keyword).test(normalised),
    );
    // Strictly more: on equal counts the earlier category in precedence keeps the lead.
    if (matched.length > 0 && matched.length > (best?.matched.length ?? 0)) best = { category, matched };
  }
  if (!best) return { category: 'other', matched: [], queue: dictionary.otherQueue };
  return { category: best.category, matched: best.matched, queue: dictionary.categories[best.category].queue };
}

function keywordPatternOf(keyword: string): RegExp {
  return (
    keywordPattern(keyword) ??
    refuse('rule.invalid-policy', 'ticket dictionary', '', `keyword '${keyword}' has nothing before its *`)
  );
}
