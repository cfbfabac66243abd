import { isRecord } from '../steps/step-kind';
import { didYouMean, listOf, suggestName } from '../suggest';
import { isTriggerEvent, TRIGGER_EVENTS } from '../trigger-events';
import type { LintRule } from './rule';

/**
 * A bound event must exist, and the instance it starts must accept its payload: the dispatcher
 * validates the payload against the input schema, and a refused payload only surfaces as an
 * event's `lastError` long after publishing. Top-level properties only (required, declared
 * `type`, additionalProperties: false); deeper constraints (pattern, format) are left to the
 * dispatcher.
 */
export const triggers: LintRule = {
  name: 'triggers',
  codes: ['trigger.unknown-event', 'trigger.input-mismatch'],
  check({ parsed, model, report }) {
    const template = parsed.value;
    if (!isRecord(template) || !Array.isArray(template.triggers)) return;
    const input = isRecord(model.inputSchema) ? model.inputSchema : {};
    template.triggers.forEach((trigger, index) => {
      // Anything but a string (or a missing event) is the schema check's to report.
      if (!isRecord(trigger) || typeof trigger.event !== 'string') return;
      const at = ['triggers', index, 'event'];
      const event = trigger.event;
      if (!isTriggerEvent(event)) {
        const known = Object.keys(TRIGGER_EVENTS);
        report(
          'trigger.unknown-event',
          at,
          `unknown event '${event}'${didYouMean(event, known)} (known events: ${listOf(known)})`,
          { fix: suggestName(event, known) },
        );
        return;
      }
      // TypeBox schemas are plain JSON Schema; read them as data, like the input schema.
      const payload: unknown = TRIGGER_EVENTS[event];
      for (const problem of payloadProblems(input, payload)) {
        report(
          'trigger.input-mismatch',
          at,
          `the input refuses the payload of '${event}' (${describePayload(payload)}): ${problem}`,
        );
      }
    });
  },
};

/** Why `input` would refuse every payload of an event (empty: it accepts them, as far as top-level types say). */
function payloadProblems(input: Record<string, unknown>, payload: unknown): string[] {
  const inputProperties = isRecord(input.properties) ? input.properties : {};
  const payloadProperties = isRecord(payload) && isRecord(payload.properties) ? payload.properties : {};
  const problems: string[] = [];
  const required = Array.isArray(input.required)
    ? input.required.filter((name): name is string => typeof name === 'string')
    : [];
  for (const name of required) {
    if (!Object.hasOwn(payloadProperties, name)) problems.push(`it requires '${name}', which the event does not carry`);
  }
  for (const [name, declared] of Object.entries(inputProperties)) {
    const given = payloadProperties[name];
    if (!isRecord(declared) || !isRecord(given) || typeof given.type !== 'string') continue;
    if (!acceptsType(declared.type, given.type))
      problems.push(`'${name}' is declared ${formatType(declared.type)} but the event gives ${given.type}`);
  }
  if (input.additionalProperties === false) {
    for (const name of Object.keys(payloadProperties)) {
      if (!Object.hasOwn(inputProperties, name))
        problems.push(`it allows no other properties, and the event carries '${name}'`);
    }
  }
  return problems;
}

/** An undeclared type accepts anything; `number` accepts integers too. */
function acceptsType(declared: unknown, given: string): boolean {
  if (declared === undefined) return true;
  const types = Array.isArray(declared) ? declared : [declared];
  return types.includes(given) || (given === 'integer' && types.includes('number'));
}

function formatType(type: unknown): string {
  return Array.isArray(type) ? type.map(String).join(' or ') : String(type);
}

/** `{ quoteId: string, version: integer }`, so the designer sees what the event carries. */
function describePayload(payload: unknown): string {
  const properties = isRecord(payload) && isRecord(payload.properties) ? payload.properties : {};
  const fields = Object.entries(properties).map(
    ([name, schema]) => `${name}: ${isRecord(schema) ? String(schema.type) : 'any'}`,
  );
  return `{ ${fields.join(', ')} }`;
}
