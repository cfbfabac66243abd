import { describe, it } from '@jest/globals';
import { expectOne, template } from '../templates';

describe('task-outcomes', () => {
  it('reports a task with no outcomes key, at the task key', () => {
    expectOne(
      template(`
  - id: review
    task: { title: Review, assignee: u1 }
`),
      'task.no-outcomes',
      'steps[0].task',
      'task:',
    );
  });

  it('reports an empty outcomes list', () => {
    expectOne(
      template(`
  - id: review
    task:
      title: Review
      assignee: u1
      outcomes: []
`),
      'task.no-outcomes',
      'steps[0].task.outcomes',
      '[]',
    );
  });
});
