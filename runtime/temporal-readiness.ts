import type { Connection } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import { connectTemporalClient } from './temporal-client-connection';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
// CommonJS package whose namespace export Node's ESM loader cannot detect statically.
import proto from '@temporalio/proto';
import type { temporal as protoTypes } from '@temporalio/proto';

const { temporal } = proto;

/** Polls until the frontend answers and the namespace exists (the dev server creates it a moment after binding). */
export async function waitForTemporal(address: string, namespace: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    let connection: Connection | undefined;
    try {
      connection = await connectTemporalClient({ address, connectTimeout: 2_000 });
      await connection.workflowService.describeNamespace({ namespace });
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    } finally {
      await connection?.close();
    }
  }
  throw new Error(
    `Temporal at ${address} (namespace ${namespace}) not ready after ${timeoutMs} ms: ${String(lastError)}`,
  );
}

const INDEXED_VALUE_TYPES: Partial<Record<SearchAttributeType, protoTypes.api.enums.v1.IndexedValueType>> = {
  KEYWORD: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  INT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  TEXT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  DATETIME: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  BOOL: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DOUBLE: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  KEYWORD_LIST: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** The operator API's request for these keys: name → indexed value type. */
export function searchAttributeTypes(
  keys: readonly { name: string; type: SearchAttributeType }[],
): Record<string, protoTypes.api.enums.v1.IndexedValueType> {
  const types: Record<string, protoTypes.api.enums.v1.IndexedValueType> = {};
  for (const key of keys) {
    const type = INDEXED_VALUE_TYPES[key.type];
    if (type === undefined) throw new Error(`no indexed value type for search attribute ${key.name} (${key.type})`);
    types[key.name] = type;
  }
  return types;
}

/**
 * Registers the engine's search attributes that the namespace lacks. A reused SQLite file
 * ignores new `--search-attribute` flags, so this runs on every start (it is a no-op when
 * all exist).
 */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = SEARCH_ATTRIBUTES.filter((key) => !known.has(key.name));
  if (missing.length === 0) return [];
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: searchAttributeTypes(missing) });
  return missing.map((key) => key.name);
}
