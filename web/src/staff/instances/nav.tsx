import { DeploymentUnitOutlined } from '@ant-design/icons';
import type { NavEntry } from '../nav-entry';

/** Operators and managers watch instances here (everyone may read their own records' instances, but a rep needs no console). */
export const instancesNav: NavEntry | null = {
  path: '/instances',
  right: 'instances.monitor',
  labelKey: 'instances.title',
  icon: <DeploymentUnitOutlined />,
  testId: 'nav-instances',
};
