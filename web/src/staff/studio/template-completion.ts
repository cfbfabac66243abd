import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import type { JsonSchema, TemplateLanguage } from './studio-api';

/**
 * Completion the JSON Schema cannot give, from the activity catalogue: activity names after
 * `call:`, an activity's parameters inside its `with:`, roles, trigger events, child templates,
 * step ids after `steps.` in expressions and a step's result fields after `steps.<id>.`. Read
 * from the text around the cursor (a document being typed rarely parses), so it works mid-edit.
 */
export function templateCompletion(language: TemplateLanguage) {
  const activities = new Map(language.activities.map((activity) => [activity.name, activity]));
  const activityOptions: Completion[] = language.activities.map((activity) => ({
    label: activity.name,
    type: 'function',
    info: activity.description,
    boost: activity.rule ? 1 : 0,
  }));
  const roleOptions: Completion[] = language.roles.map((role) => ({
    label: role.name,
    type: 'constant',
    info: role.description,
  }));
  const eventOptions: Completion[] = language.triggerEvents.map((event) => ({
    label: event.event,
    type: 'constant',
    info: event.description,
  }));
  const templateOptions: Completion[] = language.templates.map((template) => ({
    label: template.key,
    type: 'constant',
    info: template.name,
  }));

  return (context: CompletionContext): CompletionResult | null => {
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    const text = () => context.state.doc.toString();

    // In an expression: steps.<id>.<field>, then steps.<id>.
    const field = /steps\.([A-Za-z_][\w]*)\.([\w]*)$/.exec(before);
    if (field?.[1] !== undefined && /=/.test(before)) {
      const options = resultFieldsOf(text(), field[1], activities);
      return options.length ? { from: context.pos - (field[2]?.length ?? 0), options, validFor: /^\w*$/ } : null;
    }
    const stepRef = /steps\.([\w]*)$/.exec(before);
    if (stepRef && /=/.test(before)) {
      const options = stepIdsOf(text()).map((id) => ({ label: id, type: 'variable' }));
      return { from: context.pos - (stepRef[1]?.length ?? 0), options, validFor: /^\w*$/ };
    }

    const valueAfter = (keys: string): RegExpExecArray | null =>
      new RegExp(`(?:^|[\\s{,])(?:${keys}):\\s*\\[?(?:[\\w.-]+,\\s*)*([\\w.-]*)$`).exec(before);
    const pick = (match: RegExpExecArray, options: Completion[]): CompletionResult => ({
      from: context.pos - (match[1]?.length ?? 0),
      options,
      validFor: /^[\w.-]*$/,
    });
    const call = valueAfter('call');
    if (call) return pick(call, activityOptions);
    const role = valueAfter('role|approvers|startableBy|roles');
    if (role) return pick(role, roleOptions);
    const event = valueAfter('event');
    if (event) return pick(event, eventOptions);
    const template = valueAfter('template');
    if (template && /process:/.test(text().slice(Math.max(0, line.from - 200), line.from))) {
      return pick(template, templateOptions);
    }

    // A key inside `with:` of a call step: the activity's parameters.
    const key = /^(\s*)([\w]*)$/.exec(before);
    if (key?.[1] !== undefined && (context.explicit || (key[2]?.length ?? 0) > 0)) {
      const activity = activityOfWithBlock(context.state.doc, line.number, key[1].length);
      const params = activity ? activities.get(activity)?.params : undefined;
      if (params?.properties) {
        return {
          from: context.pos - (key[2]?.length ?? 0),
          options: Object.entries(params.properties).map(([name, schema]) => ({
            label: name,
            apply: `${name}: `,
            type: 'property',
            detail: params.required?.includes(name) ? '*' : undefined,
            info: describe(schema),
          })),
          validFor: /^\w*$/,
        };
      }
    }
    return null;
  };
}

interface DocLines {
  line(n: number): { text: string };
  lines: number;
}

/** `- id: x` and `id: x` lines, in document order. */
function stepIdsOf(text: string): string[] {
  return [...new Set([...text.matchAll(/^\s*(?:-\s+)?id:\s*([\w-]+)/gm)].map((m) => m[1] ?? ''))].filter(Boolean);
}

/** The activity a step of that id calls: the `call:` in the lines after its `id:` before the next step. */
function activityOfStep(text: string, stepId: string): string | null {
  const start = new RegExp(`^(\\s*)(?:-\\s+)?id:\\s*${stepId}\\s*$`, 'm').exec(text);
  if (!start) return null;
  const rest = text.slice(start.index + start[0].length);
  const next = /^\s*-\s+id:/m.exec(rest);
  const body = next ? rest.slice(0, next.index) : rest;
  return /^\s*call:\s*([\w.]+)/m.exec(body)?.[1] ?? null;
}

const TASK_RESULT: Completion[] = ['outcome', 'form', 'completedBy', 'completedAt', 'taskId'].map((label) => ({
  label,
  type: 'property',
}));

function resultFieldsOf(text: string, stepId: string, activities: Map<string, TemplateLanguage['activities'][number]>) {
  const activity = activityOfStep(text, stepId);
  if (!activity) return TASK_RESULT;
  const result = activities.get(activity)?.result;
  return Object.entries(result?.properties ?? {}).map(([name, schema]): Completion => ({
    label: name,
    type: 'property',
    info: describe(schema),
  }));
}

/**
 * The activity of the `with:` block a key at `indent` on line `lineNumber` sits in: walk up to
 * the first line indented less (it must be `with:`), then up through the step's map (keys at the
 * column of `with`, the map starting at its `- ` line) for its `call:`.
 */
function activityOfWithBlock(doc: DocLines, lineNumber: number, indent: number): string | null {
  let n = lineNumber - 1;
  let withColumn = -1;
  for (; n >= 1; n--) {
    const text = doc.line(n).text;
    if (text.trim() === '' || text.trim().startsWith('#')) continue;
    if (text.length - text.trimStart().length >= indent) continue;
    const withKey = /^(\s*(?:-\s+)?)with:\s*$/.exec(text);
    if (!withKey) return null;
    withColumn = withKey[1]?.length ?? 0;
    break;
  }
  if (withColumn < 0) return null;
  for (let m = n; m >= 1; m--) {
    const text = doc.line(m).text;
    const key = /^(\s*(?:-\s+)?)([\w-]+):\s*(.*)$/.exec(text);
    if (!key) continue;
    const column = key[1]?.length ?? 0;
    if (column < withColumn) return null;
    if (column === withColumn && key[2] === 'call') return key[3]?.trim().split(/\s/)[0] ?? null;
    if (column === withColumn && key[1]?.includes('-')) return null;
  }
  return null;
}

function describe(schema: JsonSchema | undefined): string | undefined {
  if (!schema) return undefined;
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : schema.type;
  return [type, schema.description].filter(Boolean).join(' — ') || undefined;
}

type CompletionSource = (context: CompletionContext) => CompletionResult | readonly never[] | null;

/**
 * The JSON Schema completion parses the whole document and walks the schema on each call (tens
 * of ms on quote-approval): ask it only where it can help (a key, or the start of a plain value;
 * never in a comment or an expression) and let one answer serve the rest of the word.
 */
export function onlyWhereSchemaHelps(source: CompletionSource) {
  return (context: CompletionContext): CompletionResult | null => {
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    if (!context.explicit && (before.includes('#') || !/^\s*(?:-\s+)?[\w-]*$|:\s*[\w-]*$/.test(before))) return null;
    const result = source(context);
    if (!result || Array.isArray(result)) return null;
    const answer = result as CompletionResult;
    return { ...answer, validFor: answer.validFor ?? /^[\w-]*$/ };
  };
}
