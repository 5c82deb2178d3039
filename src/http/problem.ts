/**
 * The one error type of the API. Everything that goes wrong on purpose is an
 * `ApiError`; the app's error handler renders it (and anything unexpected) as
 * RFC 9457 `application/problem+json` with the request id, never a stack.
 */
export const PROBLEMS = {
  bad_request: { status: 400, title: "Bad request" },
  unauthorized: { status: 401, title: "Authentication required" },
  forbidden: { status: 403, title: "Forbidden" },
  tenant_suspended: { status: 403, title: "Tenant suspended" },
  not_found: { status: 404, title: "Not found" },
  tenant_not_found: { status: 404, title: "Unknown host" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  conflict: { status: 409, title: "Conflict" },
  tenant_archived: { status: 410, title: "Tenant archived" },
  payload_too_large: { status: 413, title: "Payload too large" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  validation_failed: { status: 422, title: "Validation failed" },
  rate_limited: { status: 429, title: "Too many requests" },
  internal: { status: 500, title: "Internal server error" },
  misconfigured: { status: 503, title: "Service misconfigured" },
  unavailable: { status: 503, title: "Service unavailable" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

export interface FieldError {
  /** Dotted path of the offending field, e.g. `customer.email`; empty for the body itself. */
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly errors?: FieldError[];
  readonly extra?: Record<string, unknown>;
  readonly headers?: Record<string, string>;

  constructor(
    code: ProblemCode,
    detail: string,
    options: { errors?: FieldError[]; extra?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = "ApiError";
    this.code = code;
    this.status = PROBLEMS[code].status;
    this.errors = options.errors;
    this.extra = options.extra;
    this.headers = options.headers;
  }
}

export const PROBLEM_TYPE_BASE = "https://bookme.ma/problems/";

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: ProblemCode;
  request_id?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

export function problemBody(error: ApiError, instance?: string, requestId?: string): ProblemBody {
  return {
    ...error.extra,
    type: PROBLEM_TYPE_BASE + error.code,
    title: PROBLEMS[error.code].title,
    status: error.status,
    detail: error.message,
    code: error.code,
    ...(instance ? { instance } : {}),
    ...(requestId ? { request_id: requestId } : {}),
    ...(error.errors ? { errors: error.errors } : {}),
  };
}

export function problemResponse(error: ApiError, instance?: string, requestId?: string): Response {
  const headers = new Headers(error.headers);
  headers.set("content-type", "application/problem+json");
  if (requestId) headers.set("x-request-id", requestId);
  return new Response(JSON.stringify(problemBody(error, instance, requestId)), { status: error.status, headers });
}

/** Flattens zod issues into per-field errors; an unknown key is reported under its own name. */
export function fieldErrors(
  issues: readonly { path: readonly PropertyKey[]; message: string; code?: string; keys?: readonly string[] }[],
): FieldError[] {
  return issues.flatMap((issue) => {
    const base = issue.path.map((p) => String(p));
    if (issue.code === "unrecognized_keys" && issue.keys?.length) {
      return issue.keys.map((key) => ({ field: [...base, key].join("."), message: "This field cannot be set here." }));
    }
    return [{ field: base.join("."), message: issue.message }];
  });
}
