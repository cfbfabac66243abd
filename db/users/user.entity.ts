import { defineEntity, p } from '@mikro-orm/postgresql';
import type { Json } from '../../dsl/plan';

/**
 * A person or system the engine knows: who may be assigned tasks, who is mailed, who calls the
 * API. Routing attributes (region, productLines, skills, …) live in one JSON object so the CRM
 * can add more without a migration; `engine_attributes_match` compares them with a task's
 * candidate filter in SQL.
 */
export const EngineUserSchema = defineEntity({
  name: 'EngineUser',
  tableName: 'engine_user',
  properties: {
    id: p.text().primary(),
    name: p.text(),
    email: p.text(),
    roles: p.array().onCreate(() => []),
    attributes: p.json<Record<string, Json>>().onCreate(() => ({})),
    managerId: p.text().nullable(),
    /** scrypt hash of the sign-in password (db/auth/password.ts); null: the user cannot sign in with one. */
    passwordHash: p.text().nullable().lazy().hidden(),
    active: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class EngineUser extends EngineUserSchema.class {}
EngineUserSchema.setClass(EngineUser);
