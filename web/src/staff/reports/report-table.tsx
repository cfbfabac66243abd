import { Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { formatCell, isMeasure, localized } from './report-format';
import type { ReportCell, ReportResult } from './report-types';

type Row = Record<string, ReportCell> & { key: string };

const compare = (a: ReportCell | undefined, b: ReportCell | undefined): number => {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a ?? '').localeCompare(String(b ?? ''));
};

/** The numbers behind a chart, as the API gave them, written in the reader's language; totals below. */
export function ReportTable({ report, compact }: { report: ReportResult; compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const columns: ColumnsType<Row> = report.columns.map((column) => ({
    key: column.key,
    dataIndex: column.key,
    title: localized(column.title, locale),
    align: isMeasure(column.type) ? 'right' : 'left',
    sorter: (a, b) => compare(a[column.key], b[column.key]),
    render: (value: ReportCell) => formatCell(t, locale, column, value),
  }));
  const rows: Row[] = report.rows.map((row, index) => ({ ...row, key: String(index) }));
  const totals = report.totals;
  return (
    <Table<Row>
      data-testid={`table-${report.name}`}
      size="small"
      columns={columns}
      dataSource={rows}
      pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
      scroll={{ x: 'max-content' }}
      style={compact ? { fontSize: 12 } : undefined}
      summary={
        totals && Object.keys(totals).length > 0
          ? () => (
              <Table.Summary.Row data-testid={`totals-${report.name}`}>
                {report.columns.map((column, index) => (
                  <Table.Summary.Cell key={column.key} index={index} align={isMeasure(column.type) ? 'right' : 'left'}>
                    {index === 0 && totals[column.key] === undefined ? (
                      <strong>{t('reports.total')}</strong>
                    ) : totals[column.key] === undefined ? null : (
                      <strong>{formatCell(t, locale, column, totals[column.key])}</strong>
                    )}
                  </Table.Summary.Cell>
                ))}
              </Table.Summary.Row>
            )
          : undefined
      }
    />
  );
}
