import { Migration20261124000000_base } from './Migration20261124000000_base';
import { Migration20261126000000_engine } from './Migration20261126000000_engine';
import { Migration20261201000000_crm } from './Migration20261201000000_crm';
import { Migration20261202000000_process_events } from './Migration20261202000000_process_events';
import { Migration20261203000000_stock_rounds } from './Migration20261203000000_stock_rounds';
import { Migration20261204000000_order_line_discounts } from './Migration20261204000000_order_line_discounts';
import { Migration20261205000000_auth } from './Migration20261205000000_auth';
import { Migration20261206000000_audit } from './Migration20261206000000_audit';
import { Migration20261207000000_out_of_office } from './Migration20261207000000_out_of_office';
import { Migration20261208000000_task_views } from './Migration20261208000000_task_views';
import { Migration20261209000000_signed_links } from './Migration20261209000000_signed_links';
import { Migration20261210000000_task_locales } from './Migration20261210000000_task_locales';
import { Migration20261211000000_template_rollback } from './Migration20261211000000_template_rollback';
import { Migration20261212000000_template_scenario } from './Migration20261212000000_template_scenario';
import { Migration20261213000000_process_incidents } from './Migration20261213000000_process_incidents';
import { Migration20261214000000_report_indexes } from './Migration20261214000000_report_indexes';
import { Migration20261215000000_report_projections } from './Migration20261215000000_report_projections';
import { Migration20261216000000_instance_incident_status } from './Migration20261216000000_instance_incident_status';
import { Migration20261222000000_idempotency_claim } from './Migration20261222000000_idempotency_claim';
import { Migration20261223000000_idempotency_scope } from './Migration20261223000000_idempotency_scope';
import { Migration20261228000000_mail_outbox_sending } from './Migration20261228000000_mail_outbox_sending';
import { Migration20261229000000_instance_run } from './Migration20261229000000_instance_run';
import { Migration20261230000000_webhooks } from './Migration20261230000000_webhooks';
import { Migration20261231000000_list_indexes } from './Migration20261231000000_list_indexes';
import { Migration20261232000000_lead_dedupe_keys } from './Migration20261232000000_lead_dedupe_keys';
import { Migration20261233000000_credential_changes } from './Migration20261233000000_credential_changes';
import { Migration20261234000000_user_insert_change } from './Migration20261234000000_user_insert_change';
import { Migration20261235000000_task_named_queue } from './Migration20261235000000_task_named_queue';
import { Migration20261236000000_instance_reader } from './Migration20261236000000_instance_reader';
import { Migration20261237000000_instance_reader_probe } from './Migration20261237000000_instance_reader_probe';
import { Migration20261238000000_text_search } from './Migration20261238000000_text_search';

/**
 * Migrations in order. Listed explicitly rather than discovered from files, so the
 * same list works under tsx, jest and a bundled build.
 */
export const MIGRATIONS = [
  { name: 'Migration20261124000000_base', class: Migration20261124000000_base },
  { name: 'Migration20261126000000_engine', class: Migration20261126000000_engine },
  { name: 'Migration20261201000000_crm', class: Migration20261201000000_crm },
  { name: 'Migration20261202000000_process_events', class: Migration20261202000000_process_events },
  { name: 'Migration20261203000000_stock_rounds', class: Migration20261203000000_stock_rounds },
  { name: 'Migration20261204000000_order_line_discounts', class: Migration20261204000000_order_line_discounts },
  { name: 'Migration20261205000000_auth', class: Migration20261205000000_auth },
  { name: 'Migration20261206000000_audit', class: Migration20261206000000_audit },
  { name: 'Migration20261207000000_out_of_office', class: Migration20261207000000_out_of_office },
  { name: 'Migration20261208000000_task_views', class: Migration20261208000000_task_views },
  { name: 'Migration20261209000000_signed_links', class: Migration20261209000000_signed_links },
  { name: 'Migration20261210000000_task_locales', class: Migration20261210000000_task_locales },
  { name: 'Migration20261211000000_template_rollback', class: Migration20261211000000_template_rollback },
  { name: 'Migration20261212000000_template_scenario', class: Migration20261212000000_template_scenario },
  { name: 'Migration20261213000000_process_incidents', class: Migration20261213000000_process_incidents },
  { name: 'Migration20261214000000_report_indexes', class: Migration20261214000000_report_indexes },
  { name: 'Migration20261215000000_report_projections', class: Migration20261215000000_report_projections },
  { name: 'Migration20261216000000_instance_incident_status', class: Migration20261216000000_instance_incident_status },
  { name: 'Migration20261222000000_idempotency_claim', class: Migration20261222000000_idempotency_claim },
  { name: 'Migration20261223000000_idempotency_scope', class: Migration20261223000000_idempotency_scope },
  { name: 'Migration20261228000000_mail_outbox_sending', class: Migration20261228000000_mail_outbox_sending },
  { name: 'Migration20261229000000_instance_run', class: Migration20261229000000_instance_run },
  { name: 'Migration20261230000000_webhooks', class: Migration20261230000000_webhooks },
  { name: 'Migration20261231000000_list_indexes', class: Migration20261231000000_list_indexes },
  { name: 'Migration20261232000000_lead_dedupe_keys', class: Migration20261232000000_lead_dedupe_keys },
  { name: 'Migration20261233000000_credential_changes', class: Migration20261233000000_credential_changes },
  { name: 'Migration20261234000000_user_insert_change', class: Migration20261234000000_user_insert_change },
  { name: 'Migration20261235000000_task_named_queue', class: Migration20261235000000_task_named_queue },
  { name: 'Migration20261236000000_instance_reader', class: Migration20261236000000_instance_reader },
  { name: 'Migration20261237000000_instance_reader_probe', class: Migration20261237000000_instance_reader_probe },
  { name: 'Migration20261238000000_text_search', class: Migration20261238000000_text_search },
];
