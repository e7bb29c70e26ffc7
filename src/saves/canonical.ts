import { createHash } from 'node:crypto';

/**
 * The canonical serialisation the save checksum covers: JSON with no whitespace, object keys
 * sorted by UTF-16 code unit (JavaScript's default sort), keys whose value is undefined left out
 * (as JSON.stringify does), strings and numbers exactly as JSON.stringify writes them.
 *
 * parse(stringify(x)) has the same canonical form as x for every JSON value x, whatever the
 * indentation or key order of the file, so the checksum survives pretty-printing but not edits.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`not JSON: the number ${value}`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`not JSON: a value of type ${typeof value}`);
  }
}

/** 'sha256:<64 hex digits>' over the canonical serialisation of value. */
export function checksumOf(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex')}`;
}

export const CHECKSUM_PATTERN = /^sha256:[0-9a-f]{64}$/;
