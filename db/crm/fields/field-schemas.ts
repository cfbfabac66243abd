import { Type } from 'typebox';
import { PHONE_FORMAT } from './phone';

/*
 * Building blocks of the CRM input schemas. Money is integer cents; quantities are positive
 * integers; enumerations match the check constraints of the CRM tables.
 */

export const Id = Type.String({ minLength: 1, maxLength: 100 });
export const Text = (maxLength = 200) => Type.String({ minLength: 1, maxLength });
export const Email = Type.String({ format: 'email', maxLength: 254, description: 'E-mail address' });
export const Phone = Type.String({
  format: PHONE_FORMAT,
  maxLength: 40,
  description: 'Phone number: international with +, or a Chinese number without (13800138000); stored as E.164',
});
/** Zero or more cents. */
export const Cents = Type.Integer({ minimum: 0, description: 'Amount in cents (minor units)' });
/** A price: at least one cent. */
export const PriceCents = Type.Integer({ minimum: 1, description: 'Price in cents (minor units), positive' });
// Bounded so that quantity × unit price, summed over an order's lines, stays within a bigint column.
export const Quantity = Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Units, positive' });
export const IsoDate = Type.String({ format: 'date', description: 'yyyy-mm-dd' });

export const CustomerGrade = Type.Enum(['VIP', 'A', 'B', 'C']);
export const CustomerLocale = Type.Enum(['zh-CN', 'en']);
