import type { ActivityAnswer, ChildAnswer, DryRunScenario, TaskAction, TaskAnswer } from '../../../contracts/dry-run';
/* eslint-disable @typescript-eslint/no-explicit-any -- reads the loosely typed JSON of `temporal workflow show` */
import type { Json, ProcessPlan } from '../../../dsl/plan';
import { stepsByPath } from '../../../simulator/plan-steps';
import { pathOfTask } from '../../../simulator/run-report';
import type { RunProcessInput } from '../../../workflows/messages';

/*
 * A recorded history (test/fixtures/histories, JSON as `temporal workflow show` writes it) read
 * back as a dry-run scenario: the start input, each activity's recorded result, the task
 * completions (with the claims, delegations and releases before them) and events with their times,
 * the children's results (a child still running when its parent was cancelled: `running`), a cancel.
 */

interface Payload {
  data?: string;
}
type Event = Record<string, unknown> & { eventId: string; eventTime: string; eventType: string };

export interface RecordedRun {
  workflowId: string;
  args: RunProcessInput;
  scenario: DryRunScenario;
  /** Answers of the template's activities in the order they were scheduled (for `assignCallSteps`). */
  callAnswers: { activity: string; stepId: string | null; answer: ActivityAnswer | null }[];
  /** Activities the workflow scheduled (not local ones), in order. */
  activities: { activity: string; params: Json }[];
  end: {
    /**
     * `unfinished`: the history stops inside a workflow task (recorded while the workflow was
     * deciding), so what it did next is unknown; `waiting`: it stops with the workflow waiting.
     */
    status: 'completed' | 'failed' | 'cancelled' | 'waiting' | 'continued-as-new' | 'terminated' | 'unfinished';
    result?: Json;
    code?: string;
  };
}

const decode = (payload: Payload | undefined): Json =>
  payload?.data === undefined ? null : (JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8')) as Json);

function attributes(event: Event): Record<string, any> {
  const key = Object.keys(event).find((name) => name.endsWith('EventAttributes'));
  return (key ? event[key] : {}) as Record<string, any>;
}

export function recordedRun(fixture: { workflowId: string; history: { events: Event[] } }): RecordedRun {
  const events = fixture.history.events;
  const started = attributes(events[0]!);
  const args = decode(started.input?.payloads?.[0]) as unknown as RunProcessInput;
  const startMs = Date.parse(events[0]!.eventTime);
  const steps = [...stepsByPath(args.plan).values()];
  const scheduled = new Map<string, RecordedRun['callAnswers'][number]>();
  const callAnswers: RecordedRun['callAnswers'] = [];
  const activities: RecordedRun['activities'] = [];
  const tasks: Record<string, TaskAnswer[]> = {};
  const children: Record<string, ChildAnswer[]> = {};
  // Each child's answer, in the order they started, filled in when it ends.
  const childAnswers = new Map<string, { stepId: string; answer: ChildAnswer }>();
  const actions = new Map<string, TaskAction[]>();
  const taskOpened = new Map<string, number>();
  const scenario: DryRunScenario = {
    name: fixture.workflowId,
    input: args.input,
    startAt: events[0]!.eventTime,
    events: [],
  };
  let end: RecordedRun['end'] = { status: 'waiting' };
  for (const event of events) {
    const a = attributes(event);
    const at = Date.parse(event.eventTime);
    switch (event.eventType) {
      case 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED': {
        const activity = a.activityType.name as string;
        const params = decode(a.input?.payloads?.[0]);
        activities.push({ activity, params });
        const callers = steps.filter((step) => step.kind === 'call' && step.activity === activity);
        const stepId = callers.length === 1 ? callers[0]!.id : null;
        if (!activity.startsWith('engine.')) {
          const call = { activity, stepId, answer: null };
          scheduled.set(event.eventId, call);
          callAnswers.push(call);
        }
        if (activity === 'engine.openTask') taskOpened.set((params as { taskId: string }).taskId, at);
        break;
      }
      case 'EVENT_TYPE_ACTIVITY_TASK_COMPLETED':
      case 'EVENT_TYPE_ACTIVITY_TASK_FAILED': {
        const call = scheduled.get(String(a.scheduledEventId));
        if (!call) break;
        const answer: ActivityAnswer =
          event.eventType === 'EVENT_TYPE_ACTIVITY_TASK_COMPLETED'
            ? { result: decode(a.result?.payloads?.[0]) }
            : { error: failureOf(a.failure) };
        call.answer = answer;
        break;
      }
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED': {
        const request = a.acceptedRequest?.input;
        const action = actionOf(request?.name, decode(request?.args?.payloads?.[0]));
        if (action) {
          actions.set(action.taskId, [...(actions.get(action.taskId) ?? []), action.action]);
          break;
        }
        if (request?.name !== 'completeTask') break;
        const body = decode(request.args?.payloads?.[0]) as {
          taskId: string;
          outcome: string;
          form?: Record<string, Json>;
          actor: { userId: string };
        };
        const path = pathOfTask(body.taskId);
        const stepId = steps.find((step) => step.path === path)?.id ?? path;
        (tasks[stepId] ??= []).push({
          outcome: body.outcome,
          ...(body.form ? { form: body.form } : {}),
          completedBy: body.actor.userId,
          iteration: body.taskId.slice(body.taskId.lastIndexOf('@') + 1),
          afterMs: Math.max(0, at - (taskOpened.get(body.taskId) ?? at)),
          ...(actions.has(body.taskId) ? { actions: actions.get(body.taskId) } : {}),
        });
        break;
      }
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED': {
        const signal = decode(a.input?.payloads?.[0]) as { event: string; payload: Json };
        scenario.events!.push({ event: signal.event, payload: signal.payload ?? null, afterMs: at - startMs });
        break;
      }
      case 'EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED': {
        const workflowId = a.workflowId as string;
        const stepId = workflowId.slice(workflowId.lastIndexOf('/') + 1).replace(/@[^@]*$/, '');
        // Until it ends: a child the parent cancels (or the history stops before) never ends by itself.
        childAnswers.set(event.eventId, { stepId, answer: { running: true } });
        break;
      }
      case 'EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED':
      case 'EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED': {
        const child = childAnswers.get(String(a.initiatedEventId));
        if (!child) break;
        child.answer =
          event.eventType === 'EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED'
            ? { result: (decode(a.result?.payloads?.[0]) as { result?: Json } | null)?.result ?? null }
            : { error: { code: failureOf(a.failure).type, message: failureOf(a.failure).message } };
        break;
      }
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED':
        scenario.cancelAfterMs = at - startMs;
        break;
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED':
        end = {
          status: 'completed',
          result: (decode(a.result?.payloads?.[0]) as { result?: Json } | null)?.result ?? null,
        };
        break;
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_FAILED':
        end = { status: 'failed', code: failureOf(a.failure).type };
        break;
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED':
        end = { status: 'cancelled' };
        break;
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW':
        end = { status: 'continued-as-new' };
        break;
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED':
        end = { status: 'terminated' };
        break;
    }
  }
  for (const { stepId, answer } of childAnswers.values()) (children[stepId] ??= []).push(answer);
  const last = events[events.length - 1]!.eventType;
  if (last === 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED' || last === 'EVENT_TYPE_WORKFLOW_TASK_STARTED')
    end = { status: 'unfinished' };
  return {
    workflowId: fixture.workflowId,
    args: patchedForEventWindows(events) ? args : asBeforeEventWindows(args),
    scenario: { ...scenario, activities: answersByStep(callAnswers), tasks, children },
    callAnswers,
    activities,
    end,
  };
}

/** Whether the run chose the receive windows (patch `2026-12-event-windows`): it recorded the patch's marker. */
function patchedForEventWindows(events: Event[]): boolean {
  return events.some((event) => {
    if (event.eventType !== 'EVENT_TYPE_MARKER_RECORDED') return false;
    const marker = decode(attributes(event).details?.['patch-data']?.payloads?.[0]) as { id?: string } | null;
    return marker?.id === '2026-12-event-windows';
  });
}

/**
 * A run recorded before the receive windows kept every event for any later receive; a dry run
 * (always on the newest code) does the same when every receive buffers from the start. The dry
 * run's history also holds the patch's marker, one event more per run: its continue-as-new
 * threshold is one higher, so it continues where the recorded run did.
 */
function asBeforeEventWindows(args: RunProcessInput): RunProcessInput {
  const threshold = args.options?.continueAsNewAfterEvents;
  return {
    ...args,
    plan: everyReceiveBuffered(args.plan),
    ...(threshold !== undefined ? { options: { ...args.options, continueAsNewAfterEvents: threshold + 1 } } : {}),
  };
}

function everyReceiveBuffered(plan: ProcessPlan): ProcessPlan {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (typeof node !== 'object' || node === null) return node;
    const copy = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, visit(value)]));
    return copy.kind === 'receive' ? { ...copy, buffer: { after: null } } : copy;
  };
  return visit(plan) as ProcessPlan;
}

/** The scenario's `activities`: each step's answers in the order its calls were scheduled. */
export function answersByStep(calls: RecordedRun['callAnswers']): Record<string, ActivityAnswer[]> {
  const answers: Record<string, ActivityAnswer[]> = {};
  for (const call of calls) if (call.stepId && call.answer) (answers[call.stepId] ??= []).push(call.answer);
  return answers;
}

/** A claimTask / delegateTask / releaseTask Update's request as the scenario's task action. */
function actionOf(name: string | undefined, args: Json): { taskId: string; action: TaskAction } | undefined {
  const body = args as { taskId: string; actor: { userId: string }; to?: string } | null;
  if (!body) return undefined;
  const by = body.actor.userId;
  if (name === 'claimTask') return { taskId: body.taskId, action: { kind: 'claim', by } };
  if (name === 'delegateTask') return { taskId: body.taskId, action: { kind: 'delegate', by, to: body.to ?? '' } };
  if (name === 'releaseTask') return { taskId: body.taskId, action: { kind: 'release', by } };
  return undefined;
}

/** The innermost application failure: what the activity or process threw. */
function failureOf(failure: Record<string, any> | undefined): { type: string; message: string; nonRetryable: true } {
  let current = failure;
  while (current?.cause && !current.applicationFailureInfo) current = current.cause;
  return {
    type: current?.applicationFailureInfo?.type ?? 'error',
    message: current?.message ?? '',
    nonRetryable: true,
  };
}

export type { ProcessPlan };
