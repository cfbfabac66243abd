import { randomUUID } from 'node:crypto';

/** A small approval process in YAML, under a key of its own per test (the database is shared). */
export function approvalTemplate(
  key = `e2e-approval-${randomUUID().slice(0, 8)}`,
  resultLabel = 'v1',
): { key: string; yaml: string } {
  return {
    key,
    yaml: `key: ${key}
name: E2E approval
input:
  type: object
  required: [customerEmail, amount]
  properties:
    customerEmail: { type: string, format: email }
    amount: { type: number, minimum: 0 }
businessKey: =input.customerEmail
startableBy: [sales-rep]
steps:
  - id: log
    call: audit.record
    with: { actor: system, action: approval.requested, subject: =input.customerEmail }
  - id: review
    task:
      title: ="Approve " + string(input.amount) + " for " + input.customerEmail
      candidates: { role: sales-manager }
      outcomes: [approved, rejected]
      form:
        reason: { type: string, maxLength: 200 }
      due: P1D
  - id: route
    switch:
      - when: =steps.review.outcome == "approved"
        do:
          - id: notify
            call: mail.send
            with: { to: =input.customerEmail, subject: ="Approved ${key}", text: ="Approved by " + steps.review.completedBy }
      - otherwise:
          - id: rejected
            end: { result: { approved: false, label: ${resultLabel} } }
  - id: done
    end: { result: { approved: true, label: ${resultLabel} } }
`,
  };
}
