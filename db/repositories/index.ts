export { DomainError } from '../../contracts/failures';
export { IdempotencyKeyRepository, type StoredCreate, type StoredStart } from './idempotency-key-repository';
export { IncidentRepository, type Incident } from './incident-repository';
export { InstanceRepository, type InstanceFilters, type InstanceSummary } from './instance-repository';
export { catchUpInstanceReaders, type InstanceReach, type RecordReach } from './instance-reach';
export { InvalidCursorError, type Page } from './page-cursor';
export { TaskRepository, type TaskCounts, type TaskFilters } from './task-repository';
export { INBOX_VIEWS, type InboxUser, type InboxView } from './inbox-scope';
export { TASK_SORTS, type SortOrder, type TaskSort } from './task-order';
export {
  TemplateRegistry,
  templateHash,
  type PublishResult,
  type TemplateSummary,
  type TemplateVersionSummary,
} from './template-registry';
export { UserRepository } from '../users/user.repository';
export { OutOfOfficeRepository } from '../users/out-of-office.repository';
export {
  raiseProcessEvent,
  claimPendingEvents,
  claimRaisedEvent,
  markEventDispatched,
  releaseEvent,
  type ClaimedEvent,
  findProcessEvent,
  findRaisedEventId,
  type RaiseEventOptions,
} from './process-events';
export { SavedViewRepository, MAX_SAVED_VIEWS_PER_USER, type SavedViewRecord } from './saved-view-repository';
export { TemplateScenarioRepository, MAX_SCENARIOS_PER_TEMPLATE, type SavedScenario } from './template-scenarios';
