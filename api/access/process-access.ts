import { scopeAllows } from '../../contracts/api-key-scopes';
import { mayStartTemplate } from '../../contracts/roles';
import type { Principal } from '../principal';
import { ProblemError } from '../problem-error';

/**
 * Who may start a template by POST /instances: people by the roles contracts/roles.ts
 * (TEMPLATE_STARTERS) lets start it, a system key when its scope names the template too.
 */
export function assertMayStartTemplate(principal: Principal, templateKey: string): void {
  const allowed =
    mayStartTemplate(principal.roles, templateKey) ||
    (principal.kind === 'system' && principal.roles.includes('system'));
  if (!allowed || (principal.kind === 'system' && !scopeAllows(principal.scopes.templates, templateKey))) {
    throw new ProblemError({
      status: 403,
      type: 'forbidden',
      title: 'Forbidden',
      detail: `You may not start the template '${templateKey}'.`,
    });
  }
}

/** A system key sends only the events its scope names (people need the route's right, checked before). */
export function assertMaySendEvent(principal: Principal, event: string): void {
  if (principal.kind === 'system' && !scopeAllows(principal.scopes.events, event)) {
    throw new ProblemError({
      status: 403,
      type: 'forbidden',
      title: 'Forbidden',
      detail: `This API key's scope does not include sending '${event}'.`,
    });
  }
}
