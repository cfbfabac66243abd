import { describe, expect, it } from '@jest/globals';
import { compile, expectOne, located } from '../templates';

/** A template whose input is `input` (YAML lines, indented by two) bound to `triggers`. */
function bound(triggers: string, input: string[]): string {
  return [
    'key: sample',
    'name: Sample',
    'input:',
    '  type: object',
    ...input,
    `triggers: ${triggers}`,
    'steps:',
    '  - { id: stop, end: {} }',
    '',
  ].join('\n');
}

const LEAD_INPUT = ['  required: [leadId]', '  properties: { leadId: { type: string } }'];
const triggerCodes = (source: string) => located(source).filter((d) => d.code.startsWith('trigger.'));

describe('triggers', () => {
  it('accepts a known event whose payload the input takes, and publishes the binding', () => {
    const source = bound('[{ event: lead.created }]', LEAD_INPUT);
    const result = compile(source);
    expect(result.diagnostics).toEqual([]);
    expect(result.plan?.triggers).toEqual([{ event: 'lead.created' }]);
  });

  it('reports an unknown event at its name, with a suggestion and the known events', () => {
    const source = bound('[{ event: lead.created }, { event: lead.craeted }]', LEAD_INPUT);
    const d = expectOne(source, 'trigger.unknown-event', 'triggers[1].event', 'lead.craeted');
    expect(d.severity).toBe('error');
    expect(d.message).toBe(
      "unknown event 'lead.craeted'; did you mean 'lead.created'? " +
        '(known events: lead.created, quote.submitted, order.placed, ticket.opened, ticket.closed and order.delivered)',
    );
    expect(compile(source).plan).toBeUndefined();
  });

  it('names the known events without a guess when nothing is close', () => {
    const d = expectOne(
      bound('[{ event: invoice.paid }]', LEAD_INPUT),
      'trigger.unknown-event',
      'triggers[0].event',
      'invoice.paid',
    );
    expect(d.message).toMatch(
      /^unknown event 'invoice\.paid' \(known events: lead\.created, .* and order\.delivered\)$/,
    );
  });

  it('reports a required input property the event does not carry', () => {
    const source = bound('[{ event: lead.created }]', [
      '  required: [leadId, region]',
      '  properties: { leadId: { type: string }, region: { type: string } }',
    ]);
    const d = expectOne(source, 'trigger.input-mismatch', 'triggers[0].event', 'lead.created');
    expect(d.message).toBe(
      "the input refuses the payload of 'lead.created' ({ leadId: string }): it requires 'region', which the event does not carry",
    );
  });

  it('reports a property whose declared type differs from the payload, and lets number take an integer', () => {
    const source = bound('[{ event: quote.submitted }]', [
      '  required: [quoteId]',
      '  properties: { quoteId: { type: integer }, version: { type: number } }',
    ]);
    const d = expectOne(source, 'trigger.input-mismatch', 'triggers[0].event', 'quote.submitted');
    expect(d.message).toContain("'quoteId' is declared integer but the event gives string");
    // version: number accepts the payload's integer, and an optional input property may be absent.
    expect(
      triggerCodes(
        bound('[{ event: quote.submitted }]', [
          '  properties: { version: { type: [number, "null"] }, note: { type: string } }',
        ]),
      ),
    ).toEqual([]);
  });

  it('reports payload properties a closed input schema would refuse', () => {
    const source = bound('[{ event: ticket.closed }]', [
      '  required: [ticketId]',
      '  additionalProperties: false',
      '  properties: { ticketId: { type: string }, customerId: { type: string } }',
    ]);
    const found = triggerCodes(source);
    expect(found.map((d) => [d.code, d.path])).toEqual([['trigger.input-mismatch', 'triggers[0].event']]);
    expect(found[0]!.message).toMatch(/it allows no other properties, and the event carries 'triggerRef'$/);
  });

  it('reports each bound event on its own, and leaves a non-string event to the schema check', () => {
    const source = bound('[{ event: order.placed }, { event: lead.created }, { event: 42 }]', LEAD_INPUT);
    const found = located(source);
    expect(found.filter((d) => d.code.startsWith('trigger.')).map((d) => d.path)).toEqual(['triggers[0].event']);
    expect(found.map((d) => d.code)).toContain('schema.invalid');
  });
});
