import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { ACTIVITY_PROFILES } from './activity-profiles';

const { 'audit.record': recordAudit } = proxyActivities<Activities>(ACTIVITY_PROFILES.record);
const { 'mail.send': sendMail } = proxyActivities<Activities>(ACTIVITY_PROFILES.mail);

export interface SmokeCheckInput {
  recipient: string;
}

export interface SmokeCheckResult {
  auditId: string;
  outboxId: string;
  messageId: string;
}

/** Crosses all three servers once: Temporal runs it, PostgreSQL records it, SMTP delivers it. */
export async function smokeCheck(input: SmokeCheckInput): Promise<SmokeCheckResult> {
  const { workflowId } = workflowInfo();
  const { auditId } = await recordAudit({
    actor: 'system',
    action: 'smoke-check',
    subject: workflowId,
    detail: { recipient: input.recipient },
  });
  const mail = await sendMail({
    to: input.recipient,
    subject: `Smoke check ${workflowId}`,
    text: `The engine ran workflow ${workflowId} and wrote audit entry ${auditId}.`,
  });
  return { auditId, outboxId: mail.outboxId, messageId: mail.messageId };
}
