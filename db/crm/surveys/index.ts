export { Survey, SurveyInvitation, SurveyResponse } from './survey.entity';
export { SurveyRepository, type InvitationFilters, type NewInvitation } from './survey.repository';
export * from './survey.schema';
