import { describe, expect, it } from '@jest/globals';
import { expectOne, located, template } from '../templates';

const task = (fields: string) =>
  template(`
  - id: approve
    task:
      assignee: u1
      outcomes: [approved, rejected]
${fields.replace(/^\n/, '').trimEnd()}
`);

describe('localized-texts', () => {
  it('accepts a title, description, outcome labels and form field texts in both locales', () => {
    const source = task(`
      title: { en: ="Approve " + input.leadId, zh-CN: ="审批 " + input.leadId }
      description: { en: Check the terms, zh-CN: 核对条款 }
      outcomeLabels: { approved: { en: Approve, zh-CN: 批准 }, rejected: Reject }
      form: { notes: { type: string, title: { en: Notes, zh-CN: 备注 }, description: Optional } }
`);
    expect(located(source)).toEqual([]);
  });

  it('reports an unknown locale key at the key, suggesting the locale of its language', () => {
    const d = expectOne(
      task(`
      title: { en: Approve, zh-CN: 审批, zh_TW: 審批 }
`),
      'text.unknown-locale',
      'steps[0].task.title.zh_TW',
      'zh_TW',
    );
    expect(d.message).toBe("'zh_TW' is not a locale of the product (en, zh-CN); did you mean 'zh-CN'?");
  });

  it('reports a map missing a locale at its key', () => {
    const d = expectOne(
      task(`
      title: Approve
      description:
        en: Check the terms
`),
      'text.missing-locale',
      'steps[0].task.description',
      'description:',
    );
    expect(d.message).toContain('add zh-CN: …');
  });

  it('reports a form field title missing a locale, in the full form too', () => {
    expectOne(
      task(`
      title: Approve
      form:
        type: object
        properties:
          reason: { type: string, title: { zh-CN: 理由 } }
`),
      'text.missing-locale',
      'steps[0].task.form.properties.reason.title',
      'title: { zh-CN',
    );
  });

  it('reports outcome labels naming an outcome the task does not declare', () => {
    const d = expectOne(
      task(`
      title: Approve
      outcomeLabels:
        approved: Approve
        rejectd: Reject
`),
      'task.unknown-outcome',
      'steps[0].task.outcomeLabels.rejectd',
      'rejectd:',
    );
    expect(d.message).toBe(
      "'rejectd' is not one of the task's outcomes (approved, rejected); did you mean 'rejected'?",
    );
  });

  it('refuses expressions in outcome labels and form texts, which are fixed at publish time', () => {
    expectOne(
      task(`
      title: Approve
      outcomeLabels: { approved: { en: =input.leadId, zh-CN: 批准 } }
`),
      'text.not-literal',
      'steps[0].task.outcomeLabels.approved.en',
      '=input.leadId',
    );
  });

  it("type-checks each locale's title expression where it stands", () => {
    expectOne(
      task(`
      title: { en: =input.leadId, zh-CN: =input.leadld }
`),
      'expr.type',
      'steps[0].task.title["zh-CN"]',
      'leadld',
    );
  });
});
