import { createRoot } from 'react-dom/client';
import { LinkApp } from './LinkApp';
import { isLinkLocale, browserLocale, initLinkI18n } from './link-locale';
import { peekLinkHint, tokenFromPath } from './link-api';
import './link-page.css';

const token = tokenFromPath(location.pathname);
const hinted = token ? peekLinkHint(token).locale : undefined;
// The customer's language (carried by the link) first; the browser's until the API confirms it.
const locale = isLinkLocale(hinted) ? hinted : browserLocale();
initLinkI18n(locale);
document.documentElement.lang = locale;

createRoot(document.getElementById('root')!).render(<LinkApp token={token} initialLocale={locale} />);
