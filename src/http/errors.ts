/** Renders every failure as problem+json; unexpected ones are logged with the request id, never shown. */
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { DatabaseUnavailableError, isDatabaseUnavailable } from "../db/errors";
import {
  Conflict,
  DomainError,
  Forbidden,
  InvalidInput,
  InvalidLink,
  LinkExpired,
  NotAuthenticated,
  NotFound,
  RateLimited,
} from "../domain/errors";
import { ConfigError } from "../env";
import { ApiError, problemResponse, type ProblemCode } from "./problem";
import type { AppEnv } from "./types";

const STATUS_CODES: Record<number, ProblemCode> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
};

function requestIdOf(c: Context<AppEnv>): string | undefined {
  try {
    return c.get("requestId");
  } catch {
    return undefined;
  }
}

/** Seconds a client should wait before retrying after a database outage. */
export const OUTAGE_RETRY_AFTER_S = 30;

/** The one mapping from what services throw (src/domain/errors.ts) to problem+json. */
function fromDomainError(err: DomainError): ApiError | null {
  if (err instanceof NotFound) return new ApiError("not_found", err.message);
  if (err instanceof InvalidInput) return new ApiError("validation_failed", err.message, { errors: err.fields });
  if (err instanceof Forbidden) return new ApiError("forbidden", err.message, { errors: err.fields });
  if (err instanceof Conflict) {
    return new ApiError("conflict", err.message, {
      extra: { ...(err.reason ? { reason: err.reason } : {}), ...err.details },
      errors: err.fields,
    });
  }
  if (err instanceof RateLimited) {
    return new ApiError("rate_limited", err.message, {
      headers: { "retry-after": String(err.retryAfterSeconds) },
      extra: { ...(err.reason ? { reason: err.reason } : {}), retryAfter: err.retryAfterSeconds },
    });
  }
  if (err instanceof LinkExpired) return new ApiError("unauthorized", err.message);
  if (err instanceof NotAuthenticated) return new ApiError("unauthorized", err.message);
  if (err instanceof InvalidLink) return new ApiError("bad_request", err.message);
  return null;
}

export function toApiError(err: unknown): ApiError | null {
  if (err instanceof ApiError) return err;
  if (err instanceof DomainError) return fromDomainError(err);
  if (isDatabaseUnavailable(err)) {
    // Logged (an outage is worth knowing about) but answered as "retry later", never as a bug.
    console.warn(JSON.stringify({ level: "warn", event: "database_unavailable", ...outageReason(err) }));
    return new ApiError("unavailable", "The service is temporarily unavailable. Please retry shortly.", {
      headers: { "retry-after": String(OUTAGE_RETRY_AFTER_S) },
    });
  }
  if (err instanceof ConfigError) {
    return new ApiError("misconfigured", `The server is not configured correctly: ${err.problems.join("; ")}.`);
  }
  if (err instanceof HTTPException && STATUS_CODES[err.status]) {
    const code = STATUS_CODES[err.status];
    const detail =
      code === "bad_request" && /json/i.test(err.message)
        ? "The request body is not valid JSON."
        : err.message || "The request could not be processed.";
    return new ApiError(code, detail);
  }
  return null;
}

/**
 * How failures become pages. The app hands in the pages' renderer (src/web), so
 * this layer knows nothing of pages: `wants` says whether this request gets a
 * page rather than problem+json.
 */
export interface ErrorPages {
  wants(c: Context<AppEnv>): boolean;
  /** `cause` is what was thrown, so pages can choose their message by its class. */
  render(c: Context<AppEnv>, error: ApiError, requestId: string | undefined, cause?: unknown): Response | Promise<Response>;
}

const NO_PAGES: ErrorPages = { wants: () => false, render: () => new Response(null, { status: 500 }) };

/** The one error handler: known failures keep their meaning, anything else is logged and answered 500 without detail. */
export function errorHandler(pages: ErrorPages = NO_PAGES): ErrorHandler<AppEnv> {
  return (err, c) => {
    const requestId = requestIdOf(c);
    const known = toApiError(err);
    if (!known) {
      console.error(JSON.stringify({ level: "error", requestId, path: c.req.path, error: String(err), stack: (err as Error)?.stack }));
    }
    const error = known ?? new ApiError("internal", "Something went wrong on our side. Quote the request id if you contact support.");
    if (pages.wants(c)) return pages.render(c, error, requestId, err);
    return problemResponse(error, new URL(c.req.url).pathname, requestId);
  };
}

export function notFoundHandler(pages: ErrorPages = NO_PAGES): NotFoundHandler<AppEnv> {
  return (c) => {
    const error = new ApiError("not_found", `No route matches ${c.req.method} ${c.req.path}.`);
    if (pages.wants(c)) return pages.render(c, error, requestIdOf(c));
    return problemResponse(error, c.req.path, requestIdOf(c));
  };
}

/**
 * What to log of an outage: the innermost reason, never drizzle's wrapper,
 * whose message carries the statement and its parameters (customers' details).
 */
function outageReason(err: unknown): { error: string; cause: string } {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e instanceof Error && e.cause instanceof Error; depth++) {
    if (e instanceof DatabaseUnavailableError) break;
    e = e.cause;
  }
  const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  const cause = e instanceof Error && e.cause instanceof Error ? `${e.cause.name}: ${e.cause.message}` : "";
  return { error, cause };
}
