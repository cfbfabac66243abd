import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next from 'i18next';
import { dueLabel } from '../../../web/src/staff/due-format';

const locales = join(import.meta.dirname, '..', '..', '..', 'web', 'src', 'staff', 'locales');
const messages = (language: string) => JSON.parse(readFileSync(join(locales, `${language}.json`), 'utf8')) as object;

/** The inbox's due column: time left, and red and negative once breached, in the viewer's language. */
describe('due labels', () => {
  const i18n = i18next.createInstance();
  const ready = i18n.init({
    resources: { en: { translation: messages('en') }, 'zh-CN': { translation: messages('zh-CN') } },
    lng: 'en',
    interpolation: { escapeValue: false },
  });
  const minutes = (n: number) => n * 60_000;
  const label = async (language: string, ms: number) => {
    await ready;
    return dueLabel(i18n.getFixedT(language), ms);
  };

  it('counts down in English, the two largest units', async () => {
    await expect(label('en', minutes(125))).resolves.toBe('in 2h 5m');
    await expect(label('en', minutes(60 * 50))).resolves.toBe('in 2d 2h');
    await expect(label('en', 45_000)).resolves.toBe('in 45s');
  });

  it('turns negative once breached', async () => {
    await expect(label('en', -minutes(125))).resolves.toBe('-2h 5m');
    await expect(label('zh-CN', -minutes(125))).resolves.toBe('已超时 2 小时 5 分钟');
    await expect(label('zh-CN', minutes(60 * 26))).resolves.toBe('剩余 1 天 2 小时');
  });
});
