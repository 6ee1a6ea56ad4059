/** Whether a `--database` target is a PostgreSQL URL (else a DuckDB file). */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/** A PostgreSQL URL without its password, or the DuckDB file as given, for messages and reports. */
export function redactTarget(target: string): string {
  if (!isPostgresUrl(target)) return target;
  try {
    const url = new URL(target);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return target.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  }
}
