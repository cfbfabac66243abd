import { Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Task } from '../api-types';
import { LeadContext } from './lead-context';
import { OrderContext } from './order-context';
import { QuoteContext } from './quote-context';
import { RecordsSettling } from './record-query';
import { SurveyContext, TicketContext } from './service-context';

/** How long after a decision the context keeps looking for the process's changes. */
const SETTLING_MS = 60_000;

/** What the task is about, chosen by its process template; the business key names the record. */
export function BusinessContext({ task }: { task: Task }) {
  const { t } = useTranslation();
  const { businessKey, templateKey } = task;
  if (!businessKey) return null;
  const settling = task.status !== 'open' && Date.now() - Date.parse(task.completedAt ?? '') < SETTLING_MS;
  const body = (() => {
    switch (templateKey) {
      case 'lead-assignment':
        return <LeadContext leadId={businessKey} />;
      case 'quote-approval':
        return <QuoteContext quoteId={businessKey} instanceId={task.instanceId} />;
      case 'order-fulfilment':
        return <OrderContext orderId={businessKey} />;
      case 'ticket-escalation':
        return <TicketContext ticketId={businessKey} instanceId={task.instanceId} />;
      case 'survey-reminders':
        return <SurveyContext triggerRef={businessKey} />;
      default:
        return <Typography.Text type="secondary">{businessKey}</Typography.Text>;
    }
  })();
  return (
    <Card
      size="small"
      title={t(`context.title.${templateKey}`, { defaultValue: t('context.title.other') })}
      data-testid="business-context"
    >
      <RecordsSettling.Provider value={settling}>{body}</RecordsSettling.Provider>
    </Card>
  );
}
