import { Type, type Static } from 'typebox';
import { checkRuleData } from './check-rule-data';
import { refuse } from './rule-error';

export const LeadForAssignment = Type.Object({
  region: Type.String({ minLength: 1 }),
  productInterest: Type.String({ minLength: 1 }),
});
export type LeadForAssignment = Static<typeof LeadForAssignment>;

export const SalesRep = Type.Object({
  id: Type.String({ minLength: 1 }),
  region: Type.String({ minLength: 1 }),
  productLines: Type.Array(Type.String({ minLength: 1 })),
  openLeads: Type.Integer({ minimum: 0 }),
  capacity: Type.Integer({ minimum: 0, description: 'Most open leads the rep takes; 0 takes none (on leave)' }),
  active: Type.Boolean(),
  roles: Type.Array(Type.String({ minLength: 1 })),
});
export type SalesRep = Static<typeof SalesRep>;
const SalesReps = Type.Array(SalesRep);

export const LeadAssignmentPolicy = Type.Object(
  {
    eligibleRoles: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description: 'A rep needs at least one of these roles',
    }),
    requireProductLine: Type.Boolean({
      description: 'false: a rep of the region is enough when nobody there covers the product',
    }),
    managerRole: Type.String({ minLength: 1, description: 'Whose queue gets the lead when no rep fits' }),
  },
  { additionalProperties: false },
);
export type LeadAssignmentPolicy = Static<typeof LeadAssignmentPolicy>;

export const LeadOwnerChoice = Type.Union([
  Type.Object({ outcome: Type.Literal('assigned'), repId: Type.String(), reason: Type.String() }),
  Type.Object({
    outcome: Type.Literal('fallback'),
    fallback: Type.Literal('manager-queue'),
    managerRole: Type.String(),
    reason: Type.String(),
  }),
]);
export type LeadOwnerChoice = Static<typeof LeadOwnerChoice>;

/**
 * Picks the rep for a new lead: active, holding an eligible role, below capacity, in the lead's
 * region and covering its product (regions and products compare trimmed and case-insensitively,
 * since they are typed by people). Among those, the fewest open leads wins; then the lower
 * utilisation (a rep with 4 of 20 is freer than one with 4 of 5); then the smaller id, so the same
 * data always gives the same owner and a replayed workflow agrees with its first run.
 * With `requireProductLine: false`, region-only reps are a second choice before the manager queue.
 */
export function chooseLeadOwner(
  lead: LeadForAssignment,
  reps: SalesRep[],
  policy: LeadAssignmentPolicy,
): LeadOwnerChoice {
  checkRuleData(LeadForAssignment, lead, 'rule.invalid-input', 'lead');
  checkRuleData(SalesReps, reps, 'rule.invalid-input', 'sales reps');
  checkRuleData(LeadAssignmentPolicy, policy, 'rule.invalid-policy', 'lead assignment policy');
  const seen = new Set<string>();
  reps.forEach((rep, index) => {
    if (seen.has(rep.id))
      refuse('rule.invalid-input', 'sales reps', `/${index}/id`, `rep id '${rep.id}' appears twice`);
    seen.add(rep.id);
  });

  const region = comparable(lead.region);
  const product = comparable(lead.productInterest);
  const available = reps.filter(
    (rep) =>
      rep.active && rep.openLeads < rep.capacity && rep.roles.some((role) => policy.eligibleRoles.includes(role)),
  );
  const inRegion = available.filter((rep) => comparable(rep.region) === region);
  const covering = inRegion.filter((rep) => rep.productLines.some((line) => comparable(line) === product));

  const pick = leastLoaded(covering) ?? (policy.requireProductLine ? undefined : leastLoaded(inRegion));
  if (pick) {
    const fit = covering.includes(pick)
      ? `covers '${lead.productInterest}'`
      : `does not cover '${lead.productInterest}', nobody in the region does`;
    return {
      outcome: 'assigned',
      repId: pick.id,
      // Without the rep's id: texts built from it name people by name (`repId` says who).
      reason: `region '${lead.region}', ${fit}, ${pick.openLeads} of ${pick.capacity} open leads`,
    };
  }
  return {
    outcome: 'fallback',
    fallback: 'manager-queue',
    managerRole: policy.managerRole,
    reason: whyNobody(lead, reps, inRegion),
  };
}

function comparable(text: string): string {
  return text.normalize('NFKC').trim().toLowerCase();
}

function leastLoaded(reps: SalesRep[]): SalesRep | undefined {
  return [...reps].sort(byWorkload)[0];
}

function byWorkload(a: SalesRep, b: SalesRep): number {
  if (a.openLeads !== b.openLeads) return a.openLeads - b.openLeads;
  // a.open/a.cap vs b.open/b.cap without division: both capacities are positive here.
  const utilisation = a.openLeads * b.capacity - b.openLeads * a.capacity;
  if (utilisation !== 0) return utilisation;
  // Code-unit order, not localeCompare: the same on every machine and every Node version.
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function whyNobody(lead: LeadForAssignment, reps: SalesRep[], availableInRegion: SalesRep[]): string {
  const region = comparable(lead.region);
  const regionReps = reps.filter((rep) => comparable(rep.region) === region);
  if (regionReps.length === 0) return `no rep in region '${lead.region}'`;
  if (availableInRegion.length === 0)
    return `all ${regionReps.length} reps in region '${lead.region}' are inactive, full or not eligible`;
  return `no available rep in region '${lead.region}' covers '${lead.productInterest}'`;
}
