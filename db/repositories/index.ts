export { DomainError } from '../../contracts/failures';
export { IdempotencyKeyRepository, type StoredStart } from './idempotency-key-repository';
export { InstanceRepository, type InstanceFilters } from './instance-repository';
export type { InstanceReach, RecordReach } from './instance-reach';
export { InvalidCursorError, type Page } from './page-cursor';
export { TaskRepository, type InboxUser, type TaskFilters } from './task-repository';
export {
  TemplateRegistry,
  templateHash,
  type PublishResult,
  type TemplateSummary,
  type TemplateVersionSummary,
} from './template-registry';
export { UserRepository } from '../users/user.repository';
export { OutOfOfficeRepository } from '../users/out-of-office.repository';
export { raiseProcessEvent, lockPendingEvents, findProcessEvent, type RaiseEventOptions } from './process-events';
