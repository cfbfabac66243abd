import { describe, expect, it } from '@jest/globals';
import type { DryRunResult, DryRunScenario } from '../../../../contracts/dry-run';
import { diagramMarksOf } from '../../../../web/src/staff/studio/dry-run-marks';
import {
  draftOfScenario,
  newScenarioDraft,
  ScenarioJsonError,
  scenarioOfDraft,
} from '../../../../web/src/staff/studio/scenario-form';
import { builtinPlan } from '../diagram/builtin-plans';

describe('the dry-run scenario form', () => {
  const plan = builtinPlan('quote-approval');

  it('starts from a start input the template accepts', () => {
    expect(JSON.parse(newScenarioDraft(plan).input)).toEqual({ quoteId: 'x', version: 1 });
  });

  it('keeps what the form does not show (expectations, later answers) through an edit', () => {
    const saved: DryRunScenario = {
      name: 'big discount',
      input: { quoteId: 'Q-1', version: 1 },
      tasks: { sequentialApproval: [{ outcome: 'approve' }, { outcome: 'reject', form: { reason: 'no' } }] },
      activities: { levels: [{ result: { required: false, levels: [] } }] },
      expect: { status: 'completed', reached: ['order'] },
    };
    const draft = draftOfScenario(saved);
    expect(scenarioOfDraft(draft, plan)).toEqual({ ...saved, events: [] });
    const edited = scenarioOfDraft(
      { ...draft, tasks: { ...draft.tasks, sequentialApproval: 'sendBack' }, activities: { levels: '' } },
      plan,
    );
    expect(edited.tasks?.['sequentialApproval']).toEqual([
      { outcome: 'sendBack' },
      { outcome: 'reject', form: { reason: 'no' } },
    ]);
    expect(edited.activities).toEqual({});
    expect(edited.expect).toEqual(saved.expect);
  });

  it('names the field whose JSON does not parse', () => {
    const draft = { ...newScenarioDraft(plan), activities: { price: '{ total: ' } };
    expect(() => scenarioOfDraft(draft, plan)).toThrow(ScenarioJsonError);
    try {
      scenarioOfDraft(draft, plan);
    } catch (error) {
      expect((error as ScenarioJsonError).field).toBe('price');
    }
  });

  it('marks the path a run took on the diagram: last state per step, waiting wins, values as notes', () => {
    const step = (path: string, status: DryRunResult['steps'][number]['status'], result?: unknown) => ({
      stepId: path,
      path,
      kind: 'call',
      status,
      iteration: '0',
      atMs: 0,
      ...(result === undefined ? {} : { result: result as never }),
    });
    const marks = diagramMarksOf({
      status: 'waiting',
      waitingAt: [{ stepId: 't', path: 'steps[2]', kind: 'task', detail: 'sales-manager' }],
      steps: [step('steps[0]', 'completed', { total: 1 }), step('steps[1]', 'skipped'), step('steps[2]', 'running')],
      activities: [],
      tasks: [],
      vars: {},
      timeline: [],
      virtualMs: 0,
      wallMs: 1,
      expectations: [],
    });
    expect(marks.stepStates).toEqual({ 'steps[0]': 'done', 'steps[1]': 'skipped', 'steps[2]': 'waiting' });
    expect(marks.stepNotes).toEqual({ 'steps[0]': '{"total":1}', 'steps[2]': 'sales-manager' });
  });
});
