/**
 * Redaction of credentials in what the server writes: error response bodies and log lines.
 *
 * Covered: the password of a URL's userinfo (`postgres://user:secret@host` -> `postgres://user:***@host`),
 * key-value forms `password=...`, `passwd=...`, `pwd=...` (libpq and ODBC connection strings, query
 * strings; also quoted, `password='s e c'`), JSON members named so (`"password":"..."`), and Bearer tokens
 * (`Bearer abc...` -> `Bearer ***`). Only the
 * secret is replaced; scheme, user, host and the surrounding text stay, so a message still says what failed.
 *
 * The patterns work on JSON text (escaped quotes and backslashes inside a value are part of it, a value
 * never runs past the end of its JSON string), so that a log line can be redacted as written.
 */

const MASK = '***';
/** A character of a JSON string (an escaped quote, backslash or slash, or any other but quote and backslash). */
const STRING_CHARACTER = String.raw`(?:\\["\\/]|[^"\\])`;
/** `scheme://user:password@` */
const USERINFO_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/(?:\\["\\/]|[^\s:/@"\\])*:)(?:\\["\\/]|[^\s/@"\\])+@/gi;
/** `password=value`, `password = 'quoted value'` (also passwd and pwd) */
const KEY_VALUE_PASSWORD =
  /\b(pass(?:word|wd)?|pwd)(\s*=\s*)(?:'(?:\\["\\/]|[^'"\\])*'|(?:\\["\\/]|[^\s&;,'"\\])+)/gi;
/** `"password": "value"` */
const JSON_MEMBER_PASSWORD = new RegExp(
  String.raw`("(?:pass(?:word|wd)?|pwd)"\s*:\s*")${STRING_CHARACTER}*"`,
  'gi',
);

/** `Bearer token` (an Authorization header's credentials) */
const BEARER_TOKEN = /\b(Bearer[ \t]+)[A-Za-z0-9\-._~+/]+=*/gi;

/**
 * Replaces the credentials in JSON text (e.g. a log line) by `***`; the result is valid JSON when the input is.
 *
 * @internal
 */
export function redactSecretsInJson(json: string): string {
  if (!/pass|pwd|:\/\/|bearer/i.test(json)) return json;
  return json
    .replace(BEARER_TOKEN, `$1${MASK}`)
    .replace(USERINFO_PASSWORD, `$1${MASK}@`)
    .replace(KEY_VALUE_PASSWORD, `$1$2${MASK}`)
    .replace(JSON_MEMBER_PASSWORD, `$1${MASK}"`);
}

/**
 * Replaces the credentials in a text (e.g. an error message) by `***`.
 *
 * @internal
 */
export function redactSecrets(text: string): string {
  if (!/pass|pwd|:\/\/|bearer/i.test(text)) return text;
  return JSON.parse(redactSecretsInJson(JSON.stringify(text))) as string;
}

/** Query parameters whose values are not logged. */
const SECRET_PARAMETER = /pass|pwd|secret|token|key|auth|sig|session|credential/i;

/**
 * A request URL for the logs: the values of query parameters that look like secrets (`password`, `token`,
 * `api_key`, ...) replaced by `***`, and credentials redacted.
 *
 * @internal
 */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return redactSecrets(url);
  const query = url
    .slice(queryStart + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals < 0) return pair;
      const name = pair.slice(0, equals);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {}
      return SECRET_PARAMETER.test(decoded) ? `${name}=${MASK}` : pair;
    })
    .join('&');
  return redactSecrets(`${url.slice(0, queryStart)}?${query}`);
}

/** Where the server's log lines go: each line is redacted, then written to standard output. @internal */
export const redactingStdout = {
  write(line: string): void {
    // Read process.stdout at each write (not once), so that a replaced or spied-on write is used.
    process.stdout.write(redactSecretsInJson(line));
  },
};
