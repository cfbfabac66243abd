import type { ProcessPlan } from '../../../../dsl/plan';
import { api, isApiError } from '../../shared/api-client';

/* The studio's side of the template API (contract A): what the editor, the panels and the dialogs read and send. */

export type Severity = 'error' | 'warning';

/** A "did you mean": replace `range` of the source by `text`. */
export interface DiagnosticFix {
  title: string;
  range: [number, number];
  text: string;
}

export interface TemplateDiagnostic {
  code: string;
  severity: Severity;
  message: string;
  /** Where in the template, e.g. `steps[2].task.assignee`. */
  path: string;
  /** UTF-16 offsets into the source, end exclusive. */
  range: [number, number];
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  fixes?: DiagnosticFix[];
}

export interface TemplateSummary {
  key: string;
  name: string;
  latestVersion: number | null;
  draftUpdatedAt: string | null;
}

export interface TemplateDetail {
  key: string;
  name: string;
  latestVersion: number | null;
  draft: { source: string; updatedAt: string; updatedBy: string } | null;
}

export interface VersionSummary {
  key: string;
  version: number;
  hash: string;
  publishedAt: string;
  publishedBy: string;
}

export interface VersionDetail extends VersionSummary {
  source: string;
  plan: ProcessPlan;
}

export interface Published extends VersionSummary {
  created: boolean;
}

export interface DraftSaved {
  key: string;
  updatedAt: string;
  valid: boolean;
  diagnostics: TemplateDiagnostic[];
}

/** What the editor completes from (GET /template-language). */
export interface TemplateLanguage {
  activities: {
    name: string;
    description: string;
    params: JsonSchema;
    result: JsonSchema;
    rule?: { policyParam: string; records?: 'quotes' | 'tickets' | 'leads' };
  }[];
  roles: { name: string; description: string }[];
  triggerEvents: { event: string; description?: string }[];
  templates: { key: string; name: string }[];
}

export interface JsonSchema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  default?: unknown;
  examples?: unknown[];
  [keyword: string]: unknown;
}

export interface TemplateImpact {
  key: string;
  latestVersion: number | null;
  versions: { version: number; running: number; waiting: { stepId: string; count: number }[] }[];
}

export interface WhatIfAnswer {
  stepId: string;
  activity: string;
  policy: unknown;
  result: unknown;
  published: { version: number; result: unknown } | null;
}

export interface BacktestAnswer {
  stepId: string;
  activity: string;
  records: 'quotes' | 'tickets' | 'leads';
  /** The caller may not read these records: items are numbered, without their request. */
  withheld: boolean;
  total: number;
  changed: number;
  items: { recordId: string; label: string; request: unknown; published: unknown; draft: unknown; changed: boolean }[];
}

/** The outcome of validating a source: the plan when it compiles, and every diagnostic either way. */
export interface Validation {
  valid: boolean;
  diagnostics: TemplateDiagnostic[];
  plan: ProcessPlan | null;
}

const templatePath = (key: string) => `/templates/${encodeURIComponent(key)}`;

export const listTemplates = () => api<{ items: TemplateSummary[] }>('/templates');
export const getTemplate = (key: string) => api<TemplateDetail>(templatePath(key));
export const listVersions = (key: string) => api<{ items: VersionSummary[] }>(`${templatePath(key)}/versions`);
export const getVersion = (key: string, version: number) =>
  api<VersionDetail>(`${templatePath(key)}/versions/${version}`);
export const getTemplateLanguage = () => api<TemplateLanguage>('/template-language');
export const getTemplateSchema = () => api<Record<string, unknown>>('/schema/template');
export const getImpact = (key: string) => api<TemplateImpact>(`${templatePath(key)}/impact`);

/** The draft is saved even with errors; they come back as diagnostics. The body is the YAML (a JSON string). */
export const saveDraft = (key: string, source: string) =>
  api<DraftSaved>(`${templatePath(key)}/draft`, { method: 'PUT', body: source });

export const publishDraft = (key: string) => api<Published>(`${templatePath(key)}/publish`, { method: 'POST' });

export const rollBack = (key: string, to: number) =>
  api<Published>(`${templatePath(key)}/rollback`, { method: 'POST', body: { to } });

/** A 422 `template-invalid` is an answer here (the diagnostics), not a failure. */
export async function validateSource(key: string, source: string, signal?: AbortSignal): Promise<Validation> {
  try {
    const answer = await api<{ diagnostics: TemplateDiagnostic[]; plan?: ProcessPlan }>(
      `${templatePath(key)}/validate`,
      { method: 'POST', body: source, signal },
    );
    return { valid: true, diagnostics: answer.diagnostics, plan: answer.plan ?? null };
  } catch (error) {
    const diagnostics = diagnosticsOf(error);
    if (diagnostics) return { valid: false, diagnostics, plan: null };
    throw error;
  }
}

/** The diagnostics a 422 `template-invalid` carries, or null for any other failure. */
export function diagnosticsOf(error: unknown): TemplateDiagnostic[] | null {
  if (!isApiError(error, 422)) return null;
  const diagnostics = error.problem?.['diagnostics'];
  return Array.isArray(diagnostics) ? (diagnostics as TemplateDiagnostic[]) : null;
}

export const whatIf = (key: string, body: { source?: string; stepId: string; request: Record<string, unknown> }) =>
  api<WhatIfAnswer>(`${templatePath(key)}/what-if`, { method: 'POST', body });

export const backtest = (key: string, body: { source?: string; stepId: string; limit?: number }) =>
  api<BacktestAnswer>(`${templatePath(key)}/backtest`, { method: 'POST', body });

export const studioKeys = {
  list: ['templates'] as const,
  detail: (key: string) => ['templates', key] as const,
  versions: (key: string) => ['templates', key, 'versions'] as const,
  version: (key: string, version: number) => ['templates', key, 'versions', version] as const,
  impact: (key: string) => ['templates', key, 'impact'] as const,
  scenarios: (key: string) => ['templates', key, 'scenarios'] as const,
  language: ['template-language'] as const,
  schema: ['template-schema'] as const,
};
