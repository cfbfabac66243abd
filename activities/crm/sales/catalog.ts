import type { ActivityContract } from '../../../dsl/activity-contract';
import {
  AssignLeadParams, DisqualifyLeadParams, LeadAssignment, LeadStatusResult, QualifiedLead, QualifyLeadParams,
  ReassignLeadParams, RecordLeadContactParams,
} from './lead-schemas';

/** The CRM lead activities as templates may call them. */
export const CRM_SALES_CATALOG: Record<string, ActivityContract> = {
  'crm.assignLead': {
    description: 'Give a lead its owner: the least-loaded rep of its region covering its product, else its region manager\'s queue (outcome fallback, lead stays unowned); policy: eligible roles, product-line requirement, manager role.',
    params: AssignLeadParams, result: LeadAssignment,
  },
  'crm.reassignLead': {
    description: 'Take a lead from a rep and give it to the next best rep by the same rule, else the manager\'s queue; a lead that moved on already keeps its owner.',
    params: ReassignLeadParams, result: LeadAssignment,
  },
  'crm.recordLeadContact': {
    description: 'Record a contact with a lead: status contacted (unless decided), the note kept once per noteKey.',
    params: RecordLeadContactParams, result: LeadStatusResult,
  },
  'crm.qualifyLead': {
    description: 'Convert a lead into a customer (grade C) with its primary contact and an opportunity; a qualified lead returns what it became.',
    params: QualifyLeadParams, result: QualifiedLead,
  },
  'crm.disqualifyLead': {
    description: 'Close a lead as disqualified, with the reason as a note.',
    params: DisqualifyLeadParams, result: LeadStatusResult,
  },
};
