// What both services' loggers redact: keys whose values are secrets wherever they sit in a log object, up to three
// levels down (`err.headers.x`, `req.headers.x`, `connectionParams.authorization`). Defence in depth: no code logs
// them on purpose.

const secretKeys = [
  'authorization',
  'x-api-key',
  'apiKey',
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'secret',
  'dataPlaneToken',
  'metricsToken',
  'masterKey',
];

/** pino `redact.paths` for every secret key, at the top level and one or two levels down. */
export const logRedactPaths: string[] = secretKeys.flatMap((key) => {
  const at = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `["${key}"]`;
  return [at.replace(/^\./, ''), `*${at}`, `*.*${at}`];
});
