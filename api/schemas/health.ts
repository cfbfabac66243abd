import { Type } from 'typebox';
import { Problem } from './problem';

export const Liveness = Type.Object(
  { status: Type.Literal('ok') },
  { additionalProperties: false, description: 'The process is up.' },
);

const CheckOutcome = Type.Enum(['ok', 'failed']);
const Checks = Type.Object(
  { database: CheckOutcome, temporal: CheckOutcome },
  { additionalProperties: false, description: 'Outcome of each dependency check.' },
);

export const Readiness = Type.Object(
  { status: Type.Literal('ready'), checks: Checks },
  { additionalProperties: false, description: 'Every dependency answered.' },
);

export const NotReadyProblem = Type.Object(
  { ...Problem.properties, checks: Checks },
  { additionalProperties: true, description: 'A 503 naming the dependencies that did not answer.' },
);
