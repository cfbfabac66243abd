export * from './field-schemas';
export { DEFAULT_PHONE_REGION, PHONE_FORMAT, isValidPhone, toE164 } from './phone';
export { formatCrmProblems, validateCrmInput, type CrmInputProblem, type CrmInputResult } from './validate-input';
