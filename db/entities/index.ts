import { AuditLog } from './audit-log.entity';
import { MailOutbox } from './mail-outbox.entity';

export { AuditLog, MailOutbox };
export const ENTITIES = [AuditLog, MailOutbox];
