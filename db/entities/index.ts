import { AuditLog } from './audit-log.entity';
import { EngineUser } from './engine-user.entity';
import { IdempotencyKey } from './idempotency-key.entity';
import { MailOutbox } from './mail-outbox.entity';
import { ProcessInstance } from './process-instance.entity';
import { Task } from './task.entity';
import { TaskEvent } from './task-event.entity';
import { TemplateDraft } from './template-draft.entity';
import { TemplateVersion } from './template-version.entity';
import { TimelineEntry } from './timeline-entry.entity';

export {
  AuditLog, EngineUser, IdempotencyKey, MailOutbox, ProcessInstance, Task, TaskEvent, TemplateDraft, TemplateVersion, TimelineEntry,
};
export const ENTITIES = [
  AuditLog, MailOutbox, EngineUser, TemplateDraft, TemplateVersion, ProcessInstance, TimelineEntry, Task, TaskEvent, IdempotencyKey,
];
