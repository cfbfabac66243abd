import type { Json } from '../dsl/plan';

/** UTF-8 bytes of a value's JSON text, counted without a buffer (the workflow sandbox has no Buffer). */
export function jsonBytes(value: Json | undefined): number {
  const text = JSON.stringify(value) ?? 'null';
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x80) bytes += unit < 0x800 || (unit >= 0xd800 && unit <= 0xdfff) ? 1 : 2;
  }
  return bytes;
}
