import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AuditLog } from '../../db/entities';
import { listAuditEntries, verifyAuditChain } from '../../db/repositories/audit-trail';
import type { EngineContext } from '../engine-deps';
import { Cursor, DateTime, JsonObject, Limit, NullableString, Page } from '../schemas/json-and-paging';
import { Problem } from '../schemas/problem';

const Text = Type.String({ minLength: 1, maxLength: 255 });
const NullableJson = Type.Union([JsonObject, Type.Null()]);

const AuditListQuery = Type.Object(
  {
    actor: Type.Optional({ ...Text, description: '`user:<id>`, `key:<id>`, `process:<workflowId>`, `system`.' }),
    subject: Type.Optional({
      ...Text,
      description: 'A record (`customers:C-1`), or every record of a table with the prefix (`customers:`).',
    }),
    action: Type.Optional({ ...Text, description: '`<Entity>.create|update|delete` or a named action.' }),
    from: Type.Optional({ ...DateTime, description: 'Entries at or after this time.' }),
    to: Type.Optional({ ...DateTime, description: 'Entries before this time.' }),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Limit),
  },
  { additionalProperties: false },
);

const AuditEntry = Type.Object({
  id: Type.String(),
  seq: Type.Union([Type.Integer(), Type.Null()], { description: 'Position in the hash chain.' }),
  occurredAt: DateTime,
  actor: Type.String(),
  onBehalfOf: NullableString,
  action: Type.String(),
  subject: Type.String(),
  before: { ...NullableJson, description: 'The changed fields as they were (secrets redacted).' },
  after: { ...NullableJson, description: 'The changed fields as they became (secrets redacted).' },
  detail: NullableJson,
  ip: NullableString,
  requestId: NullableString,
  userAgent: NullableString,
  prevHash: NullableString,
  hash: NullableString,
});

const ChainVerification = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer({ description: 'Rows checked.' }),
  firstBrokenSeq: Type.Optional(Type.Integer({ description: 'The first row whose link or hash does not hold.' })),
  detail: Type.String(),
  lastSeq: Type.Union([Type.Integer(), Type.Null()]),
  lastHash: Type.Union([Type.String(), Type.Null()], {
    description: 'Keep it elsewhere: the chain alone cannot show that its newest rows were removed.',
  }),
});

/** The audit trail, for admins and auditors: the entries, and a check of the hash chain. */
const auditRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.get(
    '/audit',
    {
      config: { permission: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'Audit entries, newest first',
        querystring: AuditListQuery,
        response: { 200: Page(AuditEntry), 400: Problem },
      },
    },
    async (request) => {
      const page = await listAuditEntries(ctx.orm.em.fork(), request.query);
      return { items: page.items.map(toAuditRecord), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/audit/verify',
    {
      config: { permission: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'Check the hash chain of the audit trail',
        description: 'Reports the first row that was changed, removed or moved since it was written.',
        response: { 200: ChainVerification },
      },
    },
    async () => verifyAuditChain(ctx.orm.em.fork()),
  );
};

function toAuditRecord(entry: AuditLog) {
  return {
    id: entry.id,
    seq: entry.seq ?? null,
    occurredAt: entry.occurredAt.toISOString(),
    actor: entry.actor,
    onBehalfOf: entry.onBehalfOf ?? null,
    action: entry.action,
    subject: entry.subject,
    before: entry.before ?? null,
    after: entry.after ?? null,
    detail: entry.detail ?? null,
    ip: entry.ip ?? null,
    requestId: entry.requestId ?? null,
    userAgent: entry.userAgent ?? null,
    prevHash: entry.prevHash ?? null,
    hash: entry.hash ?? null,
  };
}

export default auditRoutes;
