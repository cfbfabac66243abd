import type { ApiKeyScopes } from '../contracts/api-key-scopes';

/**
 * Who is calling, resolved by the auth plugin before anything else runs: a person signed in with
 * a password (bearer access token or the app's session cookie), or another system with an API
 * key. Routes read it with `principalOf(request)`; record scoping and the audit trail use it.
 */
export interface PrincipalBase {
  /** The engine user the principal acts as (a system key belongs to a user of role `system`, or any user). */
  userId: string;
  name: string;
  email: string;
  roles: string[];
  /** Routing attributes of the user (region, productLines, …): teams and candidates are matched on them. */
  attributes: Record<string, unknown>;
  managerId: string | null;
}

export interface UserPrincipal extends PrincipalBase {
  kind: 'user';
  /** The sign-in session the access token belongs to (revoking it ends the token's use at its next refresh). */
  sessionId: string | null;
}

export interface SystemPrincipal extends PrincipalBase {
  kind: 'system';
  /** The API key's id (not its secret). */
  keyId: string;
  /** What the key may do beyond its user's roles: which templates, events and resources. */
  scopes: ApiKeyScopes;
}

export type Principal = UserPrincipal | SystemPrincipal;
