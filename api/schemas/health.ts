import { Type } from 'typebox';
import { Problem } from './problem';

export const Liveness = Type.Object(
  { status: Type.Literal('ok') },
  { additionalProperties: false, description: 'The process is up.' },
);

const CheckOutcome = Type.Enum(['ok', 'failed']);
const Checks = Type.Object(
  {
    database: CheckOutcome,
    temporal: CheckOutcome,
    worker: Type.Optional(
      Type.Enum(['ok', 'failed'], {
        description: 'Whether a worker polled the task queue (workflow and activity tasks) in the last minute.',
      }),
    ),
  },
  { additionalProperties: false, description: 'Outcome of each dependency check.' },
);
const Services = Type.Record(Type.String(), Type.Enum(['up', 'restarting', 'down']), {
  description:
    'The embedded servers this process supervises (postgres, temporal, smtp) and their state; absent when all are external.',
});

export const Readiness = Type.Object(
  { status: Type.Literal('ready'), checks: Checks, services: Type.Optional(Services) },
  { additionalProperties: false, description: 'Every dependency answered.' },
);

export const NotReadyProblem = Type.Object(
  { ...Problem.properties, checks: Checks, services: Type.Optional(Services) },
  { additionalProperties: true, description: 'A 503 naming the dependencies that did not answer.' },
);
