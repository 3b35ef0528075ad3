// Opaque pagination cursors: the sort key of the last row of a page, base64url JSON.
export class BadCursor extends Error {}

export function encodeCursor(key: (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor(cursor: string | undefined, shape: ("string" | "number")[]): (string | number)[] | undefined {
  if (cursor === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new BadCursor("cursor is not one this API returned");
  }
  if (!Array.isArray(key) || key.length !== shape.length || key.some((v, i) => typeof v !== shape[i]))
    throw new BadCursor("cursor is not one this API returned");
  return key as (string | number)[];
}

/** Splits `rows` (fetched with limit + 1) into a page and the cursor of the next one. */
export function page<T>(rows: T[], limit: number, key: (row: T) => (string | number)[]): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(key(items[items.length - 1])) : null };
}
