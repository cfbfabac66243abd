import { Descriptions, List, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { formatCents } from './money';
import { recordPath, RecordView, useRecord } from './record-query';

interface Lead {
  id: string;
  company: string;
  contactName: string;
  email?: string | null;
  phone?: string | null;
  region?: string | null;
  productInterest?: string | null;
  estimatedValueCents?: number | null;
  status: string;
  source?: string;
  ownerId?: string | null;
  notes?: { at: string; by: string | null; text: string }[];
}

export function LeadContext({ leadId }: { leadId: string }) {
  const { t } = useTranslation();
  const lead = useRecord<Lead>(recordPath('leads', leadId));
  return (
    <RecordView query={lead}>
      {(data) => (
        <div data-testid="lead-context">
          <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
            <Descriptions.Item label={t('context.lead.company')}>{data.company}</Descriptions.Item>
            <Descriptions.Item label={t('context.lead.contact')}>{data.contactName}</Descriptions.Item>
            <Descriptions.Item label={t('context.lead.email')}>{data.email ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('context.lead.phone')}>{data.phone ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('context.lead.region')}>{data.region ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('context.lead.interest')}>{data.productInterest ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('context.lead.value')}>
              {formatCents(data.estimatedValueCents)}
            </Descriptions.Item>
            <Descriptions.Item label={t('context.status')}>
              <Tag data-testid="lead-status">
                {t(`context.lead.statuses.${data.status}`, { defaultValue: data.status })}
              </Tag>
            </Descriptions.Item>
          </Descriptions>
          {data.notes && data.notes.length > 0 && (
            <List
              size="small"
              header={<Typography.Text strong>{t('context.lead.notes')}</Typography.Text>}
              dataSource={data.notes}
              renderItem={(note) => (
                <List.Item>
                  <Typography.Text type="secondary">{dayjs(note.at).format('L LT')}</Typography.Text>&nbsp;
                  {note.text}
                </List.Item>
              )}
            />
          )}
        </div>
      )}
    </RecordView>
  );
}
