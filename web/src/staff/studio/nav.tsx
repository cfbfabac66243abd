import type { NavEntry } from '../nav-entry';

/** This area's entry in the shell's navigation, or null while it has no page (its routes are in ../router.tsx). */
export const studioNav: NavEntry | null = null;
