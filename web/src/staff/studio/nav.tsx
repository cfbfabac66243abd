import { ApartmentOutlined } from '@ant-design/icons';
import type { NavEntry } from '../nav-entry';

/** This area's entry in the shell's navigation (its routes are in ../router.tsx). */
export const studioNav: NavEntry | null = {
  path: '/templates',
  right: 'templates.read',
  labelKey: 'studio.title',
  icon: <ApartmentOutlined />,
  testId: 'nav-templates',
};
