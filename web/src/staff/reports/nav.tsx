import { BarChartOutlined } from '@ant-design/icons';
import type { NavEntry } from '../nav-entry';

/**
 * Reports: shown to whoever holds the right of any report (the rights GET /reports names; the
 * open-tasks heatmap needs only tasks.work, so every person with an inbox sees the entry); the
 * page then lists exactly the reports the API says the person may read.
 */
export const reportsNav: NavEntry | null = {
  path: '/reports',
  right: [
    'opportunities.read',
    'leads.read',
    'orders.read',
    'quotes.read',
    'tickets.read',
    'surveys.read',
    'tasks.work',
  ],
  labelKey: 'reports.nav',
  icon: <BarChartOutlined />,
  testId: 'nav-reports',
};
