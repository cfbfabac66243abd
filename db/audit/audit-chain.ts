/**
 * The login role the API and the worker use: all data, but only SELECT and INSERT on
 * `audit_log`. Created by the audit migration; its password is set by the runtime.
 */
export const APP_ROLE = 'crm_app';

// Any constant works; it only has to differ from the other advisory locks of this database
// (migrations 7_233_001, template publishes by class).
export const AUDIT_CHAIN_LOCK_ID = 7_233_006;
