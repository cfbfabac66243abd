import { Alert, Space, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { WhatIfAnswer } from './studio-api';

/**
 * A rule's answer as a sentence where the rule's result has a known shape (approval levels:
 * "needs: sales manager only"), else its JSON.
 */
export function ruleSentence(t: TFunction, result: unknown): string {
  if (result && typeof result === 'object' && Array.isArray((result as { levels?: unknown }).levels)) {
    const names = (result as { levels: { name?: unknown }[] }).levels.map((level) => String(level.name ?? '?'));
    if (names.length === 0) return t('studio.policy.needsNothing');
    if (names.length === 1) return t('studio.policy.needsOnly', { level: names[0] });
    return t('studio.policy.needsAll', { levels: names.join(t('studio.policy.then')) });
  }
  return JSON.stringify(result);
}

/** The what-if's answer under the draft and, beside it, under the newest published version. */
export function RuleAnswer({ answer }: { answer: WhatIfAnswer }) {
  const { t } = useTranslation();
  const draft = ruleSentence(t, answer.result);
  const published = answer.published ? ruleSentence(t, answer.published.result) : null;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Alert
        type={published !== null && published !== draft ? 'warning' : 'success'}
        data-testid="what-if-answer"
        title={t('studio.policy.underDraft', { sentence: draft })}
        description={
          answer.published
            ? t('studio.policy.underPublished', { version: answer.published.version, sentence: published })
            : t('studio.policy.nothingPublished')
        }
      />
      <Typography.Text type="secondary" code style={{ overflowWrap: 'anywhere' }}>
        {JSON.stringify(answer.result)}
      </Typography.Text>
    </Space>
  );
}
