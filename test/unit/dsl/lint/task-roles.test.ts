import { describe, expect, it } from '@jest/globals';
import { expectOne, located, template } from '../templates';

describe('task-roles', () => {
  const source = template(`
  - id: review
    task:
      title: Review
      candidates: { role: sales-mgr }
      outcomes: [ok]
`);

  it('reports a literal role that does not exist, when the roles are known', () => {
    const d = expectOne(source, 'task.unknown-role', 'steps[0].task.candidates.role', 'sales-mgr', {
      roles: ['sales-rep', 'sales-manager'],
    });
    expect(d.message).toBe("unknown role 'sales-mgr'; did you mean 'sales-manager'?");
  });

  it('says nothing when the caller does not know the roles', () => {
    expect(located(source).filter((d) => d.code === 'task.unknown-role')).toEqual([]);
  });
});
