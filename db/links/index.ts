export { SignedLinkUse } from './signed-link-use.entity';
export { SignedLinkUseRepository } from './signed-link-use.repository';
export {
  LINK_KINDS,
  LINK_LOCALES,
  linkLocaleOf,
  newLinkId,
  readLink,
  signLink,
  type LinkKind,
  type LinkLocale,
  type LinkReading,
  type SignedLink,
} from './signed-link';
