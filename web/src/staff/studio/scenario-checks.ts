import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { listScenarios, runScenarios, type ScenarioRun } from './dry-run-api';
import type { ScenarioProblem } from './problems-panel';
import { studioKeys } from './studio-api';

/**
 * The template's saved scenarios, run again on each text that compiles: a failing one is a
 * problem like a compiler's. Only the newest text's answer counts (an older run is aborted).
 */
export function useScenarioChecks(templateKey: string) {
  const scenarios = useQuery({
    queryKey: studioKeys.scenarios(templateKey),
    queryFn: () => listScenarios(templateKey),
  });
  const hasScenarios = (scenarios.data?.items.length ?? 0) > 0;
  const [checks, setChecks] = useState<ScenarioRun[]>([]);
  const inFlight = useRef<AbortController | null>(null);
  const lastSource = useRef<string | null>(null);

  const recheck = useCallback(
    (source: string) => {
      lastSource.current = source;
      inFlight.current?.abort();
      if (!hasScenarios) return;
      const controller = new AbortController();
      inFlight.current = controller;
      runScenarios(templateKey, source, controller.signal)
        .then((answer) => {
          if (!controller.signal.aborted) setChecks(answer.items);
        })
        .catch(() => undefined);
    },
    [templateKey, hasScenarios],
  );

  // A scenario saved or deleted: run them again on the last text checked.
  useEffect(() => {
    if (lastSource.current !== null) recheck(lastSource.current);
    else if (!hasScenarios) setChecks([]);
  }, [scenarios.data, recheck, hasScenarios]);
  useEffect(() => () => inFlight.current?.abort(), []);

  const problems = useMemo(
    (): ScenarioProblem[] =>
      checks
        .filter((check) => !check.ok)
        .map((check) => ({
          scenario: check.name,
          message:
            check.result.expectations
              .filter((e) => !e.ok)
              .map((e) => e.message)
              .join('; ') ||
            check.result.error?.message ||
            check.result.status,
        })),
    [checks],
  );
  return { checks, problems, recheck };
}
