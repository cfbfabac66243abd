import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { commonFiltersOf, findReport, REPORTS, type ReportDefinition, type ReportFilters } from '../../db/reports';
import { reportScopeOf } from '../access/report-scope';
import type { EngineContext } from '../engine-deps';
import { principalOf, refusalOf, requireRight } from '../plugins/auth';
import { ProblemError } from '../problem-error';
import { requestLocale } from '../request-locale';
import { Problem, ValidationProblem } from '../schemas/problem';
import { ReportAnswer, ReportList, ReportQuery } from '../schemas/reports';
import { reportCsv } from '../services/report-csv';

const COMMON = new Set(['from', 'to', 'region', 'team', 'owner', 'format']);

/** A 400 in the ValidationProblem shape, pointing at the query parameter at fault. */
function badFilter(name: string, message: string): ProblemError {
  return new ProblemError({
    status: 400,
    type: 'validation',
    title: 'Invalid request',
    detail: `The query parameter '${name}' ${message}.`,
    extensions: { errors: [{ path: `/querystring/${name}`, message }] },
  });
}

/** Whether an Accept header names text/csv before (or without) application/json. */
function prefersCsv(accept: string | undefined): boolean {
  const types = (accept ?? '').split(',').map((part) => part.split(';')[0]!.trim().toLowerCase());
  const csv = types.indexOf('text/csv');
  const json = types.indexOf('application/json');
  return csv !== -1 && (json === -1 || csv < json);
}

function isCalendarDay(day: string): boolean {
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
}

/** The report's own parameters, defaulted; a parameter of another report or a value not offered is a 400. */
function reportParams(report: ReportDefinition, query: Static<typeof ReportQuery>): Record<string, string | undefined> {
  const declared = report.params ?? {};
  const given = Object.entries(query).filter(([name]) => !COMMON.has(name));
  for (const [name, value] of given) {
    const param = declared[name];
    if (!param) throw badFilter(name, `is not a parameter of the report '${report.name}'`);
    if (param.values && !param.values.includes(String(value))) {
      throw badFilter(name, `must be one of ${param.values.join(', ')}`);
    }
  }
  return Object.fromEntries(
    Object.entries(declared).map(([name, param]) => [
      name,
      (query as Record<string, string | undefined>)[name] ?? param.values?.[0],
    ]),
  );
}

/**
 * Reports over the CRM tables and the process projections (db/reports: each report's SQL with its
 * columns). A report needs the read right of its records and counts only what its reader may
 * list (api/access/report-scope.ts); JSON, or CSV for `Accept: text/csv` or `?format=csv`.
 */
const reportRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.get(
    '/reports',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags: ['reports'],
        summary: 'The reports the caller may read',
        response: { 200: ReportList, 401: Problem },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return {
        items: REPORTS.filter((report) => refusalOf(principal, report.right) === null).map((report) => ({
          name: report.name,
          title: report.title,
          right: report.right,
          filters: commonFiltersOf(report.dimensions),
        })),
      };
    },
  );

  app.get(
    '/reports/:name',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags: ['reports'],
        summary: 'One report, as JSON or CSV',
        description:
          REPORTS.map((r) => `\`${r.name}\` (${r.right}): ${r.description}`).join('\n\n') +
          '\n\nScoping: the rows count only records the caller may list (a rep their own, a manager the team’s, ' +
          'see-all holders every one; tickets and surveys every one; tasks as in the inbox). ' +
          'CSV: `Accept: text/csv` or `format=csv`, UTF-8 with a BOM, titles in the request’s language.',
        params: Type.Object({ name: Type.String({ maxLength: 100 }) }),
        querystring: ReportQuery,
        response: { 200: ReportAnswer, 400: ValidationProblem, 403: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      const report = findReport(request.params.name);
      if (!report) {
        throw new ProblemError({
          status: 404,
          type: 'report-not-found',
          title: 'Not Found',
          detail: `There is no report '${request.params.name}'.`,
        });
      }
      const principal = requireRight(request, report.right);
      const query = request.query;
      const params = reportParams(report, query);
      for (const name of ['from', 'to'] as const) {
        const day = query[name];
        if (day !== undefined && !isCalendarDay(day)) throw badFilter(name, 'is not a day of the calendar');
      }
      if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
        throw badFilter('to', 'is before from');
      }
      for (const [name, dimension] of [
        ['from', report.dimensions.date],
        ['to', report.dimensions.date],
        ['region', report.dimensions.region],
        ['team', report.dimensions.owner],
        ['owner', report.dimensions.owner],
      ] as const) {
        if (query[name] !== undefined && dimension === null)
          throw badFilter(name, `does not apply to '${report.name}'`);
      }

      const em = ctx.orm.em.fork();
      const scope = await reportScopeOf(ctx, principal, report.records);
      const ownerSets: string[][] = scope.ownerIds ? [[...scope.ownerIds]] : [];
      if (query.team !== undefined) {
        const manager = await ctx.users.get(em, query.team);
        if (!manager) throw badFilter('team', `names no user ('${query.team}')`);
        const region = typeof manager.attributes['region'] === 'string' ? manager.attributes['region'] : null;
        ownerSets.push(await ctx.users.listTeamIds(em, manager.id, region));
      }
      if (query.owner !== undefined) ownerSets.push([query.owner]);
      const filters: ReportFilters = { from: query.from, to: query.to, region: query.region, ownerSets };
      const table = await report.run(em, filters, params, scope.visible);

      if (query.format === 'csv' || (query.format === undefined && prefersCsv(request.headers.accept))) {
        const day = new Date().toISOString().slice(0, 10);
        return (
          reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="${report.name}-${day}.csv"`)
            // The response schema describes the JSON answer; a string payload is sent as it is.
            .send(reportCsv(table, requestLocale(request)) as never)
        );
      }
      const echoed = Object.fromEntries(
        Object.entries({ ...query, ...params }).filter(([name, value]) => name !== 'format' && value !== undefined),
      ) as Record<string, string>;
      return { name: report.name, filters: echoed, ...table };
    },
  );
};

export default reportRoutes;
