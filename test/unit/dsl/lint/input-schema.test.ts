import { describe, it } from '@jest/globals';
import { expectOne } from '../templates';

describe('input-schema', () => {
  it('reports an input that is not a valid JSON Schema, at the bad keyword', () => {
    const source = [
      'key: sample',
      'name: Sample',
      'input:',
      '  type: object',
      '  properties: { leadId: { type: strng } }',
      'steps:',
      '  - { id: stop, end: {} }',
      '',
    ].join('\n');
    expectOne(source, 'input.invalid-schema', 'input.properties.leadId.type', 'strng');
  });
});
