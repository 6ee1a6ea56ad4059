import { describe, expect, it } from 'vitest';
import { redactSecrets, redactSecretsInJson, redactUrl } from '../../src/server/redact-secrets.js';

describe('redactSecrets', () => {
  it.each([
    [
      'connect ECONNREFUSED postgres://admin:s3cret@10.0.0.1:5432/db',
      'connect ECONNREFUSED postgres://admin:***@10.0.0.1:5432/db',
    ],
    ['redis://:s3cret@cache:6379', 'redis://:***@cache:6379'],
    ['mysql://u:p%40ss@host/db?password=s3cret&ssl=1', 'mysql://u:***@host/db?password=***&ssl=1'],
    ['host=db user=u password=s3cret dbname=x', 'host=db user=u password=*** dbname=x'],
    ["host=db password='s3 cret' dbname=x", 'host=db password=*** dbname=x'],
    ['Server=x;Uid=u;Pwd=s3cret;Database=y', 'Server=x;Uid=u;Pwd=***;Database=y'],
    ['PASSWORD = s3cret', 'PASSWORD = ***'],
    ['quote "in" postgres://u:s3"cret@h/db', 'quote "in" postgres://u:***@h/db'],
    ['Authorization: Bearer key-0123456789abcdef=', 'Authorization: Bearer ***'],
    ['header bearer  abc.DEF~ghi/jkl+mno rejected', 'header bearer  *** rejected'],
  ])('%s', (text, redacted) => {
    expect(redactSecrets(text)).toBe(redacted);
  });

  it.each([
    'https://example.com/a/b',
    'mysql://user@host/db',
    'bypass=1 passive=2 compass',
    'Cannot load the goals of experiment [x]',
  ])('leaves %s as it is', (text) => {
    expect(redactSecrets(text)).toBe(text);
  });

  it('keeps a JSON line valid JSON', () => {
    const line = JSON.stringify({
      msg: 'failed',
      err: { message: 'at postgres://u:s3"cr\\et@h/db', stack: "Error: password='a\"b' x\n    at f" },
      options: { password: 's3"cret', user: 'u' },
    });
    const redacted = redactSecretsInJson(line);
    expect(redacted).not.toMatch(/s3|a\\"b/);
    expect(JSON.parse(redacted)).toEqual({
      msg: 'failed',
      err: { message: 'at postgres://u:***@h/db', stack: 'Error: password=*** x\n    at f' },
      options: { password: '***', user: 'u' },
    });
  });
});

describe('redactUrl', () => {
  it('masks the values of secret-looking query parameters and keeps the others', () => {
    expect(redactUrl('/evaluate?strict=true&api_key=k&access_token=t&Password=p&flag')).toBe(
      '/evaluate?strict=true&api_key=***&access_token=***&Password=***&flag',
    );
    expect(redactUrl('/health')).toBe('/health');
  });
});
