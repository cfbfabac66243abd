import { useState } from 'react';
import { useTranslation } from 'react-i18next';

const STATES = ['done', 'current', 'waiting', 'failed', 'skipped'] as const;
const PROBLEMS = ['error', 'warning'] as const;
const CHANGES = ['added', 'removed', 'changed'] as const;

/** What the colours and marks mean, only for the marks the diagram shows; folds away on a small screen. */
export function DiagramLegend({ states, problems, changes }: { states: boolean; problems: boolean; changes: boolean }) {
  const { t } = useTranslation();
  // Folded on a phone, where it would cover half the diagram.
  const [open, setOpen] = useState(() => window.innerWidth >= 700);
  const entries = [
    ...(states ? STATES.map((s) => ({ key: `state-${s}`, text: t(`diagram.state.${s}`) })) : []),
    ...(problems ? PROBLEMS.map((p) => ({ key: `problem-${p}`, text: t(`diagram.problem.${p}`) })) : []),
    ...(changes ? CHANGES.map((c) => ({ key: `change-${c}`, text: t(`diagram.change.${c}`) })) : []),
    { key: 'kind-task', text: t('diagram.kind.task') },
    { key: 'kind-call', text: t('diagram.kind.call') },
    { key: 'kind-switch', text: t('diagram.kind.switch') },
    { key: 'kind-receive', text: t('diagram.kind.receive') },
  ];
  return (
    <div className="pd-legend" data-testid="diagram-legend">
      <button type="button" className="pd-legend-toggle" onClick={() => setOpen(!open)} aria-expanded={open}>
        {t('diagram.legend')} {open ? '▾' : '▸'}
      </button>
      {open && (
        <ul>
          {entries.map((entry) => (
            <li key={entry.key}>
              <span className={`pd-swatch pd-swatch-${entry.key}`} />
              {entry.text}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
