export { Lead, LeadSchema, Opportunity, OpportunitySchema } from './lead.entity';
export { LeadRepository, type LeadFilters } from './lead.repository';
export {
  OpportunityRepository,
  PROBABILITY_BY_STAGE,
  type NewOpportunity,
  type OpportunityFilters,
} from './opportunity.repository';
