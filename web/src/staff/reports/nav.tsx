import { BarChartOutlined } from '@ant-design/icons';
import type { NavEntry } from '../nav-entry';

/**
 * Reports: shown to whoever holds the read right of any report's records (the rights GET /reports
 * names for its reports); the page then lists exactly the reports the API says the person may read.
 */
export const reportsNav: NavEntry | null = {
  path: '/reports',
  right: ['leads.read', 'opportunities.read', 'quotes.read', 'orders.read', 'tickets.read', 'surveys.read'],
  labelKey: 'reports.nav',
  icon: <BarChartOutlined />,
  testId: 'nav-reports',
};
