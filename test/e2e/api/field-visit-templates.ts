import { randomUUID } from 'node:crypto';

/**
 * A field-visit process written for this test alone, using every step kind, with short real
 * durations so it runs on the dev server: set, call (with compensate and onError), task,
 * switch, parallel, forEach, repeat, wait, receive, process (child), fail (in a branch not
 * taken) and end.
 */
export function fieldVisitTemplates(): { parent: { key: string; yaml: string }; child: { key: string; yaml: string } } {
  const suffix = randomUUID().slice(0, 8);
  const childKey = `e2e-visit-report-${suffix}`;
  const parentKey = `e2e-field-visit-${suffix}`;
  const child = `key: ${childKey}
name: Visit report
input:
  type: object
  required: [visitId]
  properties: { visitId: { type: string } }
steps:
  - id: file
    call: audit.record
    with: { actor: system, action: visit.report-filed, subject: =input.visitId }
  - id: done
    end: { result: { filed: =steps.file.auditId } }
`;
  const parent = `key: ${parentKey}
name: Field visit
input:
  type: object
  required: [visitId, customerEmail, parts]
  properties:
    visitId: { type: string }
    customerEmail: { type: string, format: email }
    parts: { type: array, items: { type: string } }
startableBy: [sales-rep]
businessKey: =input.visitId
vars:
  rounds: 0
  technician: nobody yet
steps:
  - id: start
    set: { plannedBy: system }
  - id: book
    call: audit.record
    with: { actor: =vars.plannedBy, action: visit.booked, subject: =input.visitId }
    compensate:
      - id: unbook
        call: audit.record
        with: { actor: system, action: visit.unbooked, subject: =input.visitId }
  - id: approve
    task:
      title: ="Approve visit " + input.visitId
      candidates: { role: sales-manager }
      outcomes: [go, cancel]
      form:
        technician: { type: string, minLength: 2, required: true }
      due: P3D
      remind: { every: PT6H, times: 2 }
      escalate:
        - { after: P2D, reassign: { role: admin }, raisePriority: urgent }
  - id: decide
    switch:
      - when: =steps.approve.outcome == "cancel"
        do:
          - id: cancelled
            fail: { code: visit.cancelled, message: The manager cancelled the visit }
      - otherwise:
          - id: assigned
            set: { technician: =steps.approve.form.technician }
  - id: announce
    parallel:
      mode: all
      branches:
        - id: customer
          steps:
            - id: mailCustomer
              call: mail.send
              with:
                to: =input.customerEmail
                subject: ="Visit " + input.visitId + " confirmed"
                text: ="Your technician is " + vars.technician
        - id: log
          steps:
            - id: logAnnounce
              call: audit.record
              with: { actor: system, action: visit.announced, subject: =input.visitId }
  - id: pickParts
    forEach:
      items: =input.parts
      as: part
      steps:
        - id: reserve
          call: audit.record
          with: { actor: system, action: part.reserved, subject: =part, detail: { index: =index } }
  - id: rounds
    repeat:
      steps:
        - id: round
          set: { rounds: =vars.rounds + 1 }
      until: =vars.rounds >= 2
      maxIterations: 5
  - id: settle
    wait: PT1S
  - id: confirmation
    receive:
      event: visit.confirmed
      # The customer may confirm while the rounds run, before this step listens.
      buffer: true
      match: =payload.visitId == input.visitId
      timeout: PT2M
  - id: report
    process:
      template: ${childKey}
      input: { visitId: =input.visitId }
  - id: optional
    call: mail.send
    with:
      to: =input.visitId
      subject: Not an address
      text: The recipient is a visit id, so this fails
    onError:
      steps:
        - id: noted
          set: { optionalFailed: true }
      then: continue
  - id: finish
    end:
      result:
        technician: =vars.technician
        rounds: =vars.rounds
        parts: =size(steps.pickParts)
        confirmedBy: =steps.confirmation.payload.by
        report: =steps.report.result.filed
`;
  return { parent: { key: parentKey, yaml: parent }, child: { key: childKey, yaml: child } };
}
