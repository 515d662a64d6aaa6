// Small HTTP helpers shared by the routes.

/** An error the client caused (or a thing that does not exist): becomes a JSON 4xx. */
export class HttpError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   * @param {string} [field] the request field at fault (query parameter, path segment, JSON path)
   */
  constructor(status, message, field) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

export const badRequest = (field, message) => new HttpError(400, `${field}: ${message}`, field);
export const notFound = (field, message) => new HttpError(404, message, field);

export const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Timing-Allow-Origin": "*",
  "Access-Control-Expose-Headers":
    "ETag, Server-Timing, X-Adloom-Decision, X-Adloom-Fallback, X-Adloom-Cache, X-Adloom-Context",
};

export function json(body, status = 200, headers = {}) {
  return new Response(JSON.stringify(body, null, 2) + "\n", {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...CORS, ...headers },
  });
}

export function errorResponse(err) {
  const body = { error: err.message, status: err.status };
  if (err.field) body.field = err.field;
  const headers = err.status === 405 && err.allow ? { Allow: err.allow } : {};
  return json(body, err.status, headers);
}

/** Header values must be visible ASCII; anything else is percent-encoded. */
export function headerSafe(s) {
  return String(s).replace(/[^\x20-\x7e]/g, (c) => encodeURIComponent(c)).slice(0, 1024);
}
