import type { DryRunResult, DryRunScenario } from '../../../../contracts/dry-run';
import { api } from '../../shared/api-client';

/* The dry run and the scenarios saved with a template (contract B). */

export type { DryRunResult, DryRunScenario };

export interface SavedScenario {
  name: string;
  scenario: DryRunScenario;
  updatedAt: string;
  updatedBy: string;
}

export interface ScenarioRun {
  name: string;
  ok: boolean;
  result: DryRunResult;
}

const templatePath = (key: string) => `/templates/${encodeURIComponent(key)}`;

export const dryRun = (key: string, source: string, scenario: DryRunScenario, signal?: AbortSignal) =>
  api<DryRunResult>(`${templatePath(key)}/dry-run`, { method: 'POST', body: { source, scenario }, signal });

export const listScenarios = (key: string) => api<{ items: SavedScenario[] }>(`${templatePath(key)}/scenarios`);

export const saveScenario = (key: string, scenario: DryRunScenario) =>
  api<unknown>(`${templatePath(key)}/scenarios/${encodeURIComponent(scenario.name)}`, {
    method: 'PUT',
    body: scenario,
  });

export const deleteScenario = (key: string, name: string) =>
  api<void>(`${templatePath(key)}/scenarios/${encodeURIComponent(name)}`, { method: 'DELETE' });

export const runScenarios = (key: string, source: string, signal?: AbortSignal) =>
  api<{ items: ScenarioRun[] }>(`${templatePath(key)}/scenarios/run`, { method: 'POST', body: { source }, signal });
