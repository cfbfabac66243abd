import { Type, type Static } from 'typebox';
import { formatDuration, parseDuration } from '../../../dsl/duration';
import { checkRuleData } from './check-rule-data';
import { refuse } from './rule-error';
import { TicketPriorityLevel } from './ticket-priority';

const IsoDuration = Type.String({
  minLength: 2,
  description: 'ISO 8601 duration without years or months, e.g. PT4H, P2D',
});
const SlaTerms = Type.Object(
  {
    response: IsoDuration,
    resolution: IsoDuration,
    remindBefore: Type.String({ minLength: 2, description: 'How long before each deadline the reminder goes out' }),
  },
  { additionalProperties: false },
);

export const SlaPolicy = Type.Object(
  { low: SlaTerms, normal: SlaTerms, high: SlaTerms, urgent: SlaTerms },
  { additionalProperties: false },
);
export type SlaPolicy = Static<typeof SlaPolicy>;

// A zone is required: "2025-03-01T09:00" means a different instant on every server.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
export const SlaOpenedAt = Type.String({
  pattern: INSTANT.source,
  description: 'ISO 8601 date-time with Z or an offset',
});

// Canonical ISO 8601 (formatDuration) so a template can feed them straight into a task's timing:
// `due: =steps.sla.responseWithin`, `remind: { every: =steps.sla.remindResponseAfter }`.
const TaskDuration = (description: string) =>
  Type.String({ minLength: 3, description: `${description}; ISO 8601 duration, e.g. PT2H` });

export const SlaDeadlines = Type.Object({
  responseDueAt: Type.String({ description: 'ISO 8601, UTC' }),
  resolutionDueAt: Type.String({ description: 'ISO 8601, UTC' }),
  remindBeforeMs: Type.Integer({ minimum: 1 }),
  responseWithin: TaskDuration('The response term of the policy'),
  resolutionWithin: TaskDuration('The resolution term of the policy'),
  remindResponseAfter: TaskDuration(
    'When the response reminder is due, counted from opening: response minus remindBefore',
  ),
  remindResolutionAfter: TaskDuration(
    'When the resolution reminder is due, counted from opening: resolution minus remindBefore',
  ),
});
export type SlaDeadlines = Static<typeof SlaDeadlines>;

const SUBJECT = 'SLA policy';

/**
 * Response and resolution deadlines for a ticket of the given priority, counted in wall-clock
 * time from when it was opened. Durations are read by the DSL's `parseDuration` so a policy and a
 * template timer accept exactly the same texts (months and years are refused: no fixed length).
 * The whole policy is checked, not just the row used, so a broken row fails on the first ticket
 * rather than on the first urgent one.
 */
export function slaDeadlines(priority: TicketPriorityLevel, openedAt: string, policy: SlaPolicy): SlaDeadlines {
  checkRuleData(TicketPriorityLevel, priority, 'rule.invalid-input', 'ticket priority');
  checkRuleData(SlaOpenedAt, openedAt, 'rule.invalid-input', 'openedAt');
  checkRuleData(SlaPolicy, policy, 'rule.invalid-policy', SUBJECT);
  const opened = Date.parse(openedAt);
  if (Number.isNaN(opened) || !isCalendarDate(openedAt))
    refuse('rule.invalid-input', 'openedAt', '', `'${openedAt}' is not a real date`);
  const rows = Object.fromEntries(Object.entries(policy).map(([level, terms]) => [level, slaTermsInMs(level, terms)]));
  const row = rows[priority];
  if (!row) refuse('rule.invalid-policy', SUBJECT, `/${priority}`, 'missing');
  return {
    responseDueAt: new Date(opened + row.response).toISOString(),
    resolutionDueAt: new Date(opened + row.resolution).toISOString(),
    remindBeforeMs: row.remindBefore,
    responseWithin: formatDuration(row.response),
    resolutionWithin: formatDuration(row.resolution),
    // Both positive: the policy check keeps remindBefore shorter than response, and response ≤ resolution.
    remindResponseAfter: formatDuration(row.response - row.remindBefore),
    remindResolutionAfter: formatDuration(row.resolution - row.remindBefore),
  };
}

function slaTermsInMs(
  level: string,
  terms: Static<typeof SlaTerms>,
): { response: number; resolution: number; remindBefore: number } {
  const ms = (field: keyof typeof terms): number => {
    const parsed = parseDuration(terms[field]);
    if (!parsed.ok) refuse('rule.invalid-policy', SUBJECT, `/${level}/${field}`, parsed.message);
    return parsed.ms;
  };
  const response = ms('response');
  const resolution = ms('resolution');
  const remindBefore = ms('remindBefore');
  if (resolution < response)
    refuse(
      'rule.invalid-policy',
      SUBJECT,
      `/${level}/resolution`,
      `resolution (${terms.resolution}) comes before response (${terms.response})`,
    );
  // A reminder due before the ticket was even opened would fire at once and mean nothing.
  if (remindBefore >= response)
    refuse(
      'rule.invalid-policy',
      SUBJECT,
      `/${level}/remindBefore`,
      `reminder (${terms.remindBefore}) must be shorter than the response time (${terms.response})`,
    );
  return { response, resolution, remindBefore };
}

// Date.parse rolls 2025-02-30 over to 2 March and accepts hour 24; a typo must not move a deadline.
function isCalendarDate(text: string): boolean {
  const [year, month, day, hour] = [text.slice(0, 4), text.slice(5, 7), text.slice(8, 10), text.slice(11, 13)].map(
    Number,
  );
  if (year === undefined || month === undefined || day === undefined || hour === undefined || hour > 23) return false;
  return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
}
