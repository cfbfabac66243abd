import { formatCrmProblems, validateCrmInput, type CrmInputProblem } from '../../../db/crm/fields';
import type { Static, TSchema } from 'typebox';
import { ProblemError } from '../../problem-error';

/** The same 400 the error handler writes for a request Fastify's validator refused. */
export function validationProblem(problems: readonly CrmInputProblem[], part = 'body'): ProblemError {
  return new ProblemError({
    status: 400,
    type: 'validation',
    title: 'Invalid request',
    detail: `The request ${part} has ${problems.length} validation error(s).\n${formatCrmProblems(problems)}`,
    extensions: { errors: problems.map((p) => ({ path: `/${part}${p.path}`, message: p.message })) },
  });
}

/**
 * The body checked by the CRM schema (every problem at once) and normalised (phones in E.164).
 * Fastify has checked it against the same schema already; this is where normalisation happens.
 */
export function validCrmBody<T extends TSchema>(schema: T, body: unknown): Static<T> {
  const result = validateCrmInput(schema, body);
  if (!result.ok) throw validationProblem(result.problems);
  return result.value;
}

export function notFound(kind: string, id: string): ProblemError {
  return new ProblemError({
    status: 404,
    type: `${kind}-not-found`,
    title: 'Not Found',
    detail: `No ${kind.replaceAll('-', ' ')} '${id}'.`,
  });
}

export interface UnknownReference {
  /** JSON Pointer into the body, e.g. `/lines/1/productId`. */
  pointer: string;
  kind: string;
  id: string;
}

/** A well-formed body naming records that do not exist: one 422 naming each of them. */
export function unknownReferences(refs: readonly UnknownReference[]): ProblemError {
  return new ProblemError({
    status: 422,
    type: 'unknown-reference',
    title: 'Unprocessable Content',
    detail: refs.map((r) => `No ${r.kind} '${r.id}' (at /body${r.pointer}).`).join(' '),
    extensions: { references: refs.map((r) => ({ path: `/body${r.pointer}`, kind: r.kind, id: r.id })) },
  });
}

export function conflict(type: string, detail: string, extensions?: Record<string, unknown>): ProblemError {
  return new ProblemError({ status: 409, type, title: 'Conflict', detail, ...(extensions ? { extensions } : {}) });
}
