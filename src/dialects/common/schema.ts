/**
 * TypeBox fragments every dialect's request schemas are built from. Query strings are all
 * strings (as a query is); bodies keep Bitget's documented types.
 */
import { Type, type TObject, type TSchema } from '@sinclair/typebox';

/** A string field of at most `max` characters. */
export const Str = (max = 64) => Type.String({ maxLength: max });
/** An optional string field. */
export const OptStr = (max = 64) => Type.Optional(Type.String({ maxLength: max }));
/** A decimal-or-free string (validated by the engine so the error names the field). */
export const DecStr = () => Type.String({ maxLength: 40 });
/** A timestamp/window that clients send as string or number. */
export const OptNumLike = () => Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Number()]));
/** An order reference item `{orderId?, clientOid?}`. */
export const RefItem = Type.Object({ orderId: OptStr(), clientOid: OptStr() });
/** A list schema of at most `max` items. */
export const List = <T extends TSchema>(item: T, max: number) => Type.Array(item, { minItems: 1, maxItems: max });

/** Query-string schema of list endpoints (all strings, as a query is). */
export const PagingQuery = {
  symbol: OptStr(),
  startTime: OptStr(20),
  endTime: OptStr(20),
  idLessThan: OptStr(20),
  limit: OptStr(4),
  orderId: OptStr(),
  clientOid: OptStr(),
};

/** The property names an object schema declares (what a place body may contain). */
export function fieldsOf(schema: TObject): ReadonlySet<string> {
  return new Set(Object.keys(schema.properties));
}
