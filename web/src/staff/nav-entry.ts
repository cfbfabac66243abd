import type { ReactNode } from 'react';

/** One item of the shell's navigation: shown when the person holds `right`. */
export interface NavEntry {
  /** Path prefix the item leads to and is selected on, e.g. `/templates`. */
  path: string;
  /** A right from GET /me that the person needs to see the item (a list: any one of them). */
  right: string | readonly string[];
  /** i18n key of its label. */
  labelKey: string;
  icon: ReactNode;
  /** `data-testid` of its link, e.g. `nav-templates`. */
  testId: string;
}
