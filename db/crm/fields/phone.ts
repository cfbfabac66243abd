import { isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js';
import Format from 'typebox/format';

/** Numbers written without a leading `+` are read as Chinese numbers (13800138000). */
export const DEFAULT_PHONE_REGION = 'CN';

/** The JSON Schema `format` of a phone-number field. */
export const PHONE_FORMAT = 'phone';

/** Whether `text` is a valid phone number: international with `+`, or Chinese without. */
export function isValidPhone(text: string): boolean {
  return isValidPhoneNumber(text, DEFAULT_PHONE_REGION);
}

/** The E.164 form (`+8613800138000`) of a valid number; undefined for an invalid one. */
export function toE164(text: string): string | undefined {
  if (!isValidPhone(text)) return undefined;
  return parsePhoneNumberFromString(text, DEFAULT_PHONE_REGION)?.number;
}

// TypeBox checks `format` through one registry; registering here makes every check of these
// schemas (Value.Check, Value.Errors, validateCrmInput) know what a phone number is.
if (!Format.Has(PHONE_FORMAT)) Format.Set(PHONE_FORMAT, isValidPhone);
