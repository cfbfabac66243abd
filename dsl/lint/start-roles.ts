import { isRecord } from '../steps/step-kind';
import { didYouMean, suggestName } from '../suggest';
import type { LintRule } from './rule';

/** The roles a template names in `startableBy` must exist, when the caller knows the roles. */
export const startRoles: LintRule = {
  name: 'start-roles',
  codes: ['start.unknown-role'],
  check({ parsed, roles, report }) {
    if (!roles || !isRecord(parsed.value) || !Array.isArray(parsed.value.startableBy)) return;
    parsed.value.startableBy.forEach((role, i) => {
      if (typeof role !== 'string' || roles.includes(role)) return;
      report('start.unknown-role', ['startableBy', i], `unknown role '${role}'${didYouMean(role, roles)}`, {
        fix: suggestName(role, roles),
      });
    });
  },
};
