import { Migration } from '@mikro-orm/migrations';

/**
 * Projections the reports read instead of redoing per-row work on every call (db/reports), each
 * kept at write time by the module writing its record, in the record's transaction, and
 * backfilled here from the rows that exist:
 * - on `orders`, what fulfilment did (db/crm/orders OrderRepository: create, markShipped,
 *   addShipmentNote): the ordered and shipped quantities of its lines, its shipment notes and the
 *   time of the first;
 * - `survey_answers`, one row per answered rating or text question of a response (db/crm/surveys
 *   SurveyRepository.respond), so scores per question are not unpacked from JSON per call.
 */
export class Migration20261215000000_report_projections extends Migration {
  override name = 'Migration20261215000000_report_projections';

  override up(): void {
    this.addSql(`alter table "orders"
      add column "ordered_quantity" int not null default 0,
      add column "shipped_quantity" int not null default 0,
      add column "shipment_count" int not null default 0,
      add column "first_shipped_at" timestamptz null;`);
    this.addSql(`update "orders" o set "ordered_quantity" = l.ordered, "shipped_quantity" = l.shipped
      from (select order_id, sum(quantity)::int as ordered, sum(shipped_quantity)::int as shipped
              from order_lines group by order_id) l
     where l.order_id = o.id;`);
    this.addSql(`update "orders" o set "shipment_count" = s.notes, "first_shipped_at" = s.first_at
      from (select order_id, count(*)::int as notes, min(created_at) as first_at
              from shipment_notes where status <> 'cancelled' group by order_id) s
     where s.order_id = o.id;`);
    // Order fulfilment reads one period of orders, fill and shipment figures included.
    this.addSql(`create index "orders_fulfilment_index" on "orders" ("created_at")
      include ("ordered_quantity", "shipped_quantity", "shipment_count", "first_shipped_at", "owner_id", "customer_id")
      where "status" <> 'cancelled';`);

    this.addSql(`create table "survey_answers" (
      "response_id" text not null references "survey_responses" ("id") on delete cascade,
      "question_id" text not null,
      "survey_id" text not null,
      "customer_id" text null,
      "responded_at" timestamptz not null,
      "rating" numeric null,
      "answer_text" text null,
      constraint "survey_answers_pkey" primary key ("response_id", "question_id"),
      constraint "survey_answers_one_value" check (("rating" is null) <> ("answer_text" is null))
    );`);
    // The same rows SurveyRepository.respond writes: a rating question answered with a number, a
    // text question answered with a string.
    this.addSql(`insert into "survey_answers"
        (response_id, question_id, survey_id, customer_id, responded_at, rating, answer_text)
      select r.id, q ->> 'id', s.id, i.customer_id, r.created_at,
             case when q ->> 'kind' = 'rating' then (a.value)::text::numeric end,
             case when q ->> 'kind' = 'text' then a.value #>> '{}' end
        from survey_responses r
        join survey_invitations i on i.id = r.invitation_id
        join surveys s on s.id = i.survey_id
        cross join lateral jsonb_array_elements(s.questions) q
        cross join lateral (select r.answers -> (q ->> 'id') as value) a
       where (q ->> 'kind' = 'rating' and jsonb_typeof(a.value) = 'number')
          or (q ->> 'kind' = 'text' and jsonb_typeof(a.value) = 'string')
      on conflict do nothing;`);
    this.addSql(`create index "survey_answers_rating_index" on "survey_answers" ("responded_at")
      include ("survey_id", "question_id", "rating", "customer_id") where "rating" is not null;`);
    this.addSql(`create index "survey_answers_text_index" on "survey_answers" ("responded_at" desc)
      include ("survey_id", "customer_id", "answer_text") where "answer_text" is not null;`);
  }

  override down(): void {
    this.addSql(`drop table if exists "survey_answers";`);
    this.addSql(`drop index if exists "orders_fulfilment_index";`);
    this.addSql(`alter table "orders" drop column "ordered_quantity", drop column "shipped_quantity",
      drop column "shipment_count", drop column "first_shipped_at";`);
  }
}
