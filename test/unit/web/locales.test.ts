import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/*
 * Every text of the web app exists in both languages: each area's locales folder
 * (web/src/<area>/locales and web/src/staff/<area>/locales, found here by itself, so a new area
 * is covered the day it appears)
 * has en.json and zh-CN.json with the same keys, no empty text and the same placeholders.
 */

const WEB_SRC = join(import.meta.dirname, '..', '..', '..', 'web', 'src');
const LANGUAGES = ['en', 'zh-CN'] as const;

type Messages = { [key: string]: string | Messages };

/** Every `locales` folder under web/src, at any depth (areas of the staff app have their own). */
function localeFolders(): string[] {
  return readdirSync(WEB_SRC, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isDirectory() && entry.name === 'locales')
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function flatten(messages: Messages, prefix = ''): Map<string, string> {
  const flat = new Map<string, string>();
  for (const [key, value] of Object.entries(messages)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') flat.set(path, value);
    else for (const [inner, text] of flatten(value, path)) flat.set(inner, text);
  }
  return flat;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

const folders = localeFolders();

describe('web app translations', () => {
  it('finds the staff, link and shared locale folders', () => {
    const names = folders.map((folder) => relative(WEB_SRC, folder));
    expect(names).toEqual(expect.arrayContaining([join('staff', 'locales'), join('shared', 'locales')]));
  });

  describe.each(folders.map((folder) => [relative(WEB_SRC, folder), folder]))('%s', (_name, folder) => {
    const read = (language: string) => {
      const file = join(folder, `${language}.json`);
      expect(existsSync(file)).toBe(true);
      return flatten(JSON.parse(readFileSync(file, 'utf8')) as Messages);
    };
    const [en, zh] = LANGUAGES.map(read) as [Map<string, string>, Map<string, string>];

    it('has every key in both languages', () => {
      expect({ missingInZhCN: [...en.keys()].filter((key) => !zh.has(key)) }).toEqual({ missingInZhCN: [] });
      expect({ missingInEn: [...zh.keys()].filter((key) => !en.has(key)) }).toEqual({ missingInEn: [] });
      expect(en.size).toBeGreaterThan(0);
    });

    it('has no empty text', () => {
      const empty = [...en, ...zh].filter(([, text]) => text === '').map(([key]) => key);
      expect(empty).toEqual([]);
    });

    it('uses the same placeholders in both languages', () => {
      const differing = [...en]
        .filter(([key, text]) => zh.has(key) && placeholders(text).join() !== placeholders(zh.get(key)!).join())
        .map(([key]) => key);
      expect(differing).toEqual([]);
    });
  });
});
