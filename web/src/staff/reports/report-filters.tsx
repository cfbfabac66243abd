import { Button, DatePicker, Grid, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useFilterPeople } from './report-queries';
import type { ReportSearch } from './report-search';

const DAY_FORMAT = 'YYYY-MM-DD';

/** The filters every report takes: period, region, team, owner. Each change goes to the URL. */
export function ReportFilters({
  search,
  onChange,
}: {
  search: ReportSearch;
  onChange: (change: Partial<ReportSearch>) => void;
}) {
  const { t } = useTranslation();
  const phone = !Grid.useBreakpoint().md;
  const people = useFilterPeople();
  const { regions, teams, owners } = useMemo(() => {
    const all = people.data ?? [];
    const leads = new Set(all.map((person) => person.managerId).filter((id): id is string => id !== null));
    return {
      regions: [...new Set(all.map((person) => person.region).filter((region): region is string => !!region))].sort(),
      teams: all.filter((person) => leads.has(person.id)),
      owners: all.filter((person) => person.roles.some((role) => role.startsWith('sales')) || leads.has(person.id)),
    };
  }, [people.data]);
  const today = dayjs();
  const presets = [
    { label: t('reports.filters.thisMonth'), value: [today.startOf('month'), today] as [Dayjs, Dayjs] },
    {
      label: t('reports.filters.lastMonths', { count: 3 }),
      value: [today.subtract(3, 'month').startOf('month'), today] as [Dayjs, Dayjs],
    },
    { label: t('reports.filters.thisYear'), value: [today.startOf('year'), today] as [Dayjs, Dayjs] },
    {
      label: t('reports.filters.lastMonths', { count: 12 }),
      value: [today.subtract(12, 'month').startOf('month'), today] as [Dayjs, Dayjs],
    },
  ];
  const width = phone ? '100%' : undefined;
  const minWidth = phone ? 0 : undefined;
  const filtered = Boolean(search.from || search.to || search.region || search.team || search.owner);

  return (
    <div
      data-testid="report-filters"
      // A phone: two filters a row, the period across both; wider: one row that wraps.
      style={
        phone
          ? { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)', gap: 8 }
          : { display: 'flex', flexWrap: 'wrap', gap: 8 }
      }
    >
      <DatePicker.RangePicker
        data-testid="filter-period"
        allowEmpty={[true, true]}
        presets={presets}
        placeholder={[t('reports.filters.from'), t('reports.filters.to')]}
        value={[search.from ? dayjs(search.from) : null, search.to ? dayjs(search.to) : null]}
        onChange={(range) =>
          onChange({
            from: range?.[0]?.format(DAY_FORMAT) ?? undefined,
            to: range?.[1]?.format(DAY_FORMAT) ?? undefined,
          })
        }
        style={phone ? { gridColumn: '1 / -1' } : { width: 260 }}
      />
      <Select
        data-testid="filter-region"
        allowClear
        placeholder={t('reports.filters.region')}
        value={search.region ?? null}
        onChange={(value: string | null | undefined) => onChange({ region: value ?? undefined })}
        options={regions.map((region) => ({ value: region, label: region }))}
        style={{ minWidth: minWidth ?? 130, width }}
      />
      <Select
        data-testid="filter-team"
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        placeholder={t('reports.filters.team')}
        value={search.team ?? null}
        onChange={(value: string | null | undefined) => onChange({ team: value ?? undefined })}
        options={teams.map((lead) => ({ value: lead.id, label: t('reports.filters.teamOf', { name: lead.name }) }))}
        style={{ minWidth: minWidth ?? 180, width }}
      />
      <Select
        data-testid="filter-owner"
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        placeholder={t('reports.filters.owner')}
        value={search.owner ?? null}
        onChange={(value: string | null | undefined) => onChange({ owner: value ?? undefined })}
        options={owners.map((person) => ({ value: person.id, label: person.name }))}
        style={{ minWidth: minWidth ?? 180, width }}
      />
      {filtered && (
        <Button
          data-testid="filter-clear"
          onClick={() =>
            onChange({ from: undefined, to: undefined, region: undefined, team: undefined, owner: undefined })
          }
        >
          {t('reports.filters.clear')}
        </Button>
      )}
    </div>
  );
}
