import { defineEntity, p } from '@mikro-orm/postgresql';

/**
 * A named inbox view a person saved: the inbox URL's search string (`view=queue&sort=due`), theirs
 * alone or shared with everyone who works an inbox (a link `/inbox?savedView=<id>` opens it).
 */
export const SavedViewSchema = defineEntity({
  name: 'SavedView',
  tableName: 'task_view',
  properties: {
    id: p.text().primary(),
    ownerId: p.text(),
    name: p.text(),
    query: p.text(),
    shared: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class SavedView extends SavedViewSchema.class {}
SavedViewSchema.setClass(SavedView);
