import { describe, expect, it } from '@jest/globals';
import { compileTemplate } from '../../../../dsl/compile';

const source = (roles: string) => `key: startable
name: Startable
startableBy: ${roles}
input: { type: object }
steps:
  - id: done
    end: {}
`;

describe('startableBy', () => {
  it('goes into the plan when every role exists', () => {
    const { plan, diagnostics } = compileTemplate(source('[warehouse, sales-rep]'), {
      catalog: {},
      roles: ['warehouse', 'sales-rep'],
    });
    expect(diagnostics).toEqual([]);
    expect(plan?.startableBy).toEqual(['warehouse', 'sales-rep']);
  });

  it('is absent from the plan when the template names none', () => {
    const { plan } = compileTemplate(source('[]').replace('startableBy: []\n', ''), { catalog: {} });
    expect(plan).toBeDefined();
    expect(plan).not.toHaveProperty('startableBy');
  });

  it('reports an unknown role with a suggestion', () => {
    const { plan, diagnostics } = compileTemplate(source('[warehous]'), { catalog: {}, roles: ['warehouse'] });
    expect(plan).toBeUndefined();
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'start.unknown-role',
        path: 'startableBy[0]',
        message: expect.stringContaining('warehouse'),
      }),
    ]);
  });
});
