import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { sha256Hex } from '../../../dsl/sha256';

describe('sha256Hex', () => {
  it.each(['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'key: ünïcødé 🚀\n'.repeat(300)])(
    'matches node:crypto for %#',
    (text) => {
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    },
  );
});
