import {
  ReferenceKind,
  type EntityDictionary,
  type EntityManager,
  type EntityMetadata,
  type EntityName,
  type EntityProperty,
} from '@mikro-orm/postgresql';

/**
 * Raw rows of a list page as entities the caller only reads and serialises. `em.map` costs about
 * 0.1 ms a row (identity map, change-set snapshot, hydrator): 5–7 ms of CPU for a page of 50, most
 * of a list request's time. A page is never changed and flushed, so it skips the unit of work:
 * - an entity whose relations are all to one row (many-to-one, or the owning side of a
 *   one-to-one) becomes a plain object of its properties, converted as the hydrator converts them
 *   (custom types, timestamps), 15–20× cheaper; each relation is a ReadOnlyReference, which
 *   holds the referenced row's primary key and nothing else (`row.owner?.id`);
 * - an entity with a collection (one-to-many, many-to-many) is built by the entity factory
 *   without merging (relations become references as with `em.map`), about 2× cheaper.
 * Neither is managed: never flush, populate or lock what this returns (use `em.map` for that).
 */
export function readOnlyRows<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  rows: readonly Record<string, unknown>[],
): T[] {
  const meta = em.getMetadata().get<T>(entity);
  const driver = em.getDriver();
  const shape = plainShapeOf(meta);
  if (!shape) {
    const factory = em.getEntityFactory();
    return rows.map((row) =>
      factory.create(entity, driver.mapResult(row as EntityDictionary<T>, meta) as never, {
        merge: false,
        newEntity: false,
        convertCustomTypes: true,
        initialized: true,
      }),
    );
  }
  const platform = em.getPlatform();
  return rows.map((row) => {
    const data = driver.mapResult(row as EntityDictionary<T>, meta) as Record<string, unknown>;
    for (const prop of shape.scalars) {
      const value = data[prop.name];
      if (value === null || value === undefined) continue;
      if (prop.customType) data[prop.name] = prop.customType.convertToJSValue(value, platform);
      if (prop.runtimeType === 'Date' && typeof data[prop.name] === 'string') {
        data[prop.name] = new Date(data[prop.name] as string);
      }
    }
    for (const { name, Reference } of shape.references) {
      const value = data[name];
      if (value !== null && value !== undefined) data[name] = new Reference(value);
    }
    return data as T;
  });
}

interface PlainShape {
  scalars: EntityProperty[];
  /** Each relation's property and the class of its read-only references (readOnlyReferenceClass). */
  references: { name: string; Reference: ReferenceClass }[];
}

const shapes = new WeakMap<EntityMetadata, PlainShape | null>();

/** How a row of `meta` becomes a plain object, or null when it has a collection (the factory builds those). */
function plainShapeOf(meta: EntityMetadata): PlainShape | null {
  const known = shapes.get(meta);
  if (known !== undefined) return known;
  const toOne = meta.relations.every(
    (prop) =>
      (prop.kind === ReferenceKind.MANY_TO_ONE || (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner)) &&
      prop.targetMeta?.primaryKeys.length === 1,
  );
  const shape = toOne
    ? {
        scalars: meta.props.filter((prop) => prop.kind === ReferenceKind.SCALAR),
        references: meta.relations.map((prop) => ({
          name: prop.name,
          Reference: readOnlyReferenceClass(prop.targetMeta!.primaryKeys[0]!),
        })),
      }
    : null;
  shapes.set(meta, shape);
  return shape;
}

const NOT_LOADED =
  'is a relation of a read-only list row (readOnlyRows): it holds only the primary key; load the entity with the EntityManager to read more';

/**
 * A relation of a read-only row: the referenced row's primary key under its property name, as an
 * unloaded MikroORM reference exposes it. What needs the unit of work (load, unwrap, getEntity)
 * throws instead of answering wrongly; serialised, it is its key, as an unloaded relation is.
 * One class per primary-key name: a list builds one of these per relation and row, and instances
 * of a class share one hidden class (a descriptor-built object with a closure each cost ~5 % of a
 * list request's CPU in a profile of `GET /leads`).
 */
abstract class ReadOnlyReference {
  isInitialized(): boolean {
    return false;
  }
  load(): never {
    throw new Error(`load() ${NOT_LOADED}`);
  }
  loadOrFail(): never {
    throw new Error(`loadOrFail() ${NOT_LOADED}`);
  }
  unwrap(): never {
    throw new Error(`unwrap() ${NOT_LOADED}`);
  }
  getEntity(): never {
    throw new Error(`getEntity() ${NOT_LOADED}`);
  }
  abstract toJSON(): unknown;
}

type ReferenceClass = new (value: unknown) => ReadOnlyReference;

const referenceClasses = new Map<string, ReferenceClass>();

/** The class of read-only references to rows keyed by `primaryKey`: one per key name, found when a shape is built. */
function readOnlyReferenceClass(primaryKey: string): ReferenceClass {
  let Reference = referenceClasses.get(primaryKey);
  if (!Reference) {
    Reference = class extends ReadOnlyReference {
      constructor(value: unknown) {
        super();
        (this as unknown as Record<string, unknown>)[primaryKey] = value;
        Object.freeze(this);
      }
      toJSON(): unknown {
        return (this as unknown as Record<string, unknown>)[primaryKey];
      }
    };
    referenceClasses.set(primaryKey, Reference);
  }
  return Reference;
}
