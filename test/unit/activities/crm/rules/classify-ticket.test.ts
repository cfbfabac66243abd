import { describe, expect, it } from '@jest/globals';
import { classifyTicket, type TicketDictionary } from '../../../../../activities/crm/rules/classify-ticket';
import { DEFAULT_TICKET_DICTIONARY as DICTIONARY } from '../../../../../activities/crm/rules/defaults';
import { RuleError } from '../../../../../activities/crm/rules/rule-error';

describe('classifyTicket', () => {
  it.each([
    ['技术问题：系统无法登录', 'technical', 'technical-support'],
    ['产品咨询，请问价格是多少', 'sales', 'sales'],
    ['我要投诉，服务很不满意', 'complaint', 'customer-relations'],
    ['The app keeps crashing after the update', 'technical', 'technical-support'],
    ['Could you send a quote for 20 licenses?', 'sales', 'sales'],
    ['I want a refund, this is unacceptable', 'complaint', 'customer-relations'],
  ])('%s → %s', (text, category, queue) => {
    expect(classifyTicket(text, DICTIONARY)).toMatchObject({ category, queue });
  });

  it('reports the keywords of the chosen category in dictionary order', () => {
    expect(classifyTicket('无法登录，还一直报错', DICTIONARY).matched).toEqual(['无法登录', '登录', '报错']);
  });

  it('is case-insensitive for Latin text', () => {
    expect(classifyTicket('URGENT: LOGIN BROKEN', DICTIONARY)).toMatchObject({
      category: 'technical',
      matched: ['login', 'broken'],
    });
  });

  it('matches Latin keywords as whole words only', () => {
    // "bugle" holds "bug", "ordering" holds "order", "slowly" holds "slow": none is the word.
    expect(classifyTicket('The bugle is ordering slowly', DICTIONARY)).toEqual({
      category: 'other',
      matched: [],
      queue: 'service-desk',
    });
  });

  it('reads a trailing * as a prefix', () => {
    expect(classifyTicket('It crashed twice', DICTIONARY).matched).toEqual(['crash*']);
  });

  it('matches phrases across any white space', () => {
    expect(classifyTicket('I cannot\n log   in', DICTIONARY).matched).toContain('cannot log in');
  });

  it('finds Latin words between Chinese characters and full-width Latin', () => {
    expect(classifyTicket('系统login失败', DICTIONARY)).toMatchObject({ category: 'technical', matched: ['login'] });
    expect(classifyTicket('ＲＥＦＵＮＤ please', DICTIONARY)).toMatchObject({
      category: 'complaint',
      matched: ['refund'],
    });
  });

  it('counts keywords of both languages in mixed text', () => {
    const result = classifyTicket('Price 价格 and 折扣 discount? Also an error.', DICTIONARY);
    expect(result).toEqual({ category: 'sales', matched: ['price', 'discount', '价格', '折扣'], queue: 'sales' });
  });

  it('breaks a tie by precedence, complaint first', () => {
    // One technical keyword (故障), one complaint keyword (投诉).
    expect(classifyTicket('设备故障，我要投诉', DICTIONARY)).toMatchObject({
      category: 'complaint',
      matched: ['投诉'],
    });
  });

  it('lets more matches beat precedence', () => {
    expect(classifyTicket('投诉：无法登录，密码报错', DICTIONARY).category).toBe('technical');
  });

  it.each([[''], ['   \n'], ['你好，谢谢']])('classifies %j as other', (text) => {
    expect(classifyTicket(text, DICTIONARY)).toEqual({ category: 'other', matched: [], queue: 'service-desk' });
  });

  it('follows a changed dictionary: new keyword, new queue, new precedence', () => {
    const changed: TicketDictionary = {
      ...DICTIONARY,
      categories: { ...DICTIONARY.categories, sales: { queue: 'inside-sales', keywords: ['续约'] } },
      precedence: ['technical', 'complaint', 'sales'],
    };
    expect(classifyTicket('想续约', changed)).toEqual({ category: 'sales', matched: ['续约'], queue: 'inside-sales' });
    expect(classifyTicket('想续约', DICTIONARY).category).toBe('other');
    expect(classifyTicket('设备故障，我要投诉', changed).category).toBe('technical');
  });

  it('refuses a dictionary whose precedence misses a category', () => {
    const broken = { ...DICTIONARY, precedence: ['complaint', 'technical'] } as unknown as TicketDictionary;
    expect(() => classifyTicket('error', broken)).toThrow(expect.objectContaining({ code: 'rule.invalid-policy' }));
  });

  it('refuses blank keywords and a bare *', () => {
    const blank = { ...DICTIONARY, categories: { ...DICTIONARY.categories, sales: { queue: 's', keywords: ['  '] } } };
    expect(() => classifyTicket('x', blank)).toThrow(RuleError);
    const star = { ...DICTIONARY, categories: { ...DICTIONARY.categories, sales: { queue: 's', keywords: ['*'] } } };
    expect(() => classifyTicket('x', star)).toThrow(/nothing before its \*/);
  });

  it('refuses text that is not a string', () => {
    expect(() => classifyTicket(42 as unknown as string, DICTIONARY)).toThrow(
      expect.objectContaining({ code: 'rule.invalid-input' }),
    );
  });

  it('ships a dozen or more keywords per category in each language', () => {
    for (const { keywords } of Object.values(DICTIONARY.categories)) {
      expect(keywords.filter((keyword) => /\p{Script=Han}/u.test(keyword)).length).toBeGreaterThanOrEqual(12);
      expect(keywords.filter((keyword) => /^[\x20-\x7e]+$/.test(keyword)).length).toBeGreaterThanOrEqual(12);
    }
  });
});
