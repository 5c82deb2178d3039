/**
 * What can go wrong in the business's own terms. Services throw these and know
 * nothing of HTTP; src/http/errors.ts turns each into problem+json in one place,
 * and the pages (src/web/error-page.tsx) choose their message by class.
 *
 * Bottom layer: imports nothing from src/.
 */

/** One offending input, named by its dotted path (`customer.email`) as the client sent it. */
export interface FieldProblem {
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The object does not exist here: also what another tenant's id looks like (never "forbidden"). */
export class NotFound extends DomainError {}

/** The usual NotFound of an id lookup: `noSuch("customer")`. */
export const noSuch = (what: string) => new NotFound(`No ${what} with this id here.`);

/** Input that passed the schema but not the business rules; every offending field is listed. */
export class InvalidInput extends DomainError {
  constructor(
    readonly fields: FieldProblem[],
    message = "Some fields are invalid.",
  ) {
    super(message);
  }
}

/** Throws one InvalidInput for all `fields`, only when there are some. */
export function failIf(fields: FieldProblem[]): void {
  if (fields.length) throw new InvalidInput(fields);
}

/** The caller may not do this (role, ownership); authentication problems stay in src/auth. */
export class Forbidden extends DomainError {
  /** `fields`: the inputs this caller may not send (e.g. admin-only fields). */
  constructor(
    message: string,
    readonly fields?: FieldProblem[],
  ) {
    super(message);
  }
}

/**
 * The request contradicts the current state. `reason` is a stable machine code
 * (`staff_unavailable`, `cutoff_passed`, …) and `details` travel with the answer.
 */
export class Conflict extends DomainError {
  constructor(
    message: string,
    readonly reason?: string,
    readonly details: Record<string, unknown> = {},
    readonly fields?: FieldProblem[],
  ) {
    super(message);
  }
}

/** The time asked for is no longer bookable; `nextSlots` are the nearest free starts (ISO instants). */
export class SlotTaken extends Conflict {
  constructor(
    message: string,
    reason: "staff_unavailable" | "resource_unavailable" | "slot_unavailable" | "session_full" | (string & {}),
    readonly nextSlots: unknown[],
  ) {
    super(message, reason, { next_slots: nextSlots });
  }
}

/** Too late to change the booking online (the business's cut-off before the start). */
export class CutoffPassed extends Conflict {
  constructor(
    message: string,
    readonly cutoffMinutes: number,
  ) {
    super(message, "cutoff_passed", { cutoff_min: cutoffMinutes });
  }
}

/** The booking's status does not allow the action (e.g. completing a cancelled booking). */
export class InvalidTransition extends Conflict {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, "invalid_transition", details);
  }
}

/** Too many requests; retry after `retryAfterSeconds`. */
export class RateLimited extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    readonly reason?: string,
  ) {
    super(message);
  }
}

/** A signed link (manage link, invitation) that was valid once and has expired. */
export class LinkExpired extends DomainError {}

/** Credentials the caller gave (password, refresh token) were refused, or their account is gone. */
export class NotAuthenticated extends DomainError {}

/** A signed link (invitation) that is malformed, forged or expired and can never be used as sent. */
export class InvalidLink extends DomainError {}
