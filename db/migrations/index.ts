import { Migration20261124000000_base } from './Migration20261124000000_base';

/**
 * Migrations in order. Listed explicitly rather than discovered from files, so the
 * same list works under tsx, jest and a bundled build.
 */
export const MIGRATIONS = [
  { name: 'Migration20261124000000_base', class: Migration20261124000000_base },
];
