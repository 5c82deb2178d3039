/**
 * The booking lifecycle as pure data: which action moves which status where,
 * and the customer's cut-off policy. No I/O; handlers ask before writing and
 * the UPDATE repeats the allowed "from" statuses in its WHERE, so a race
 * between two transitions cannot slip past the rules.
 *
 *   pending → confirmed → completed | cancelled | no_show
 *   pending → cancelled
 *   reschedule keeps the status (pending or confirmed)
 */
import type { BookingStatus } from "../db/schema/tenant";

export const BOOKING_ACTIONS = ["confirm", "complete", "cancel", "no_show", "reschedule"] as const;
export type BookingAction = (typeof BOOKING_ACTIONS)[number];

const RULES: Record<BookingAction, { from: readonly BookingStatus[]; to: BookingStatus | "same" }> = {
  confirm: { from: ["pending"], to: "confirmed" },
  complete: { from: ["confirmed"], to: "completed" },
  cancel: { from: ["pending", "confirmed"], to: "cancelled" },
  no_show: { from: ["confirmed"], to: "no_show" },
  reschedule: { from: ["pending", "confirmed"], to: "same" },
};

/** Statuses an action may start from. */
export function allowedFrom(action: BookingAction): readonly BookingStatus[] {
  return RULES[action].from;
}

/** The status after `action`, or null when the action is not allowed from `status`. */
export function nextStatus(status: BookingStatus, action: BookingAction): BookingStatus | null {
  const rule = RULES[action];
  if (!rule.from.includes(status)) return null;
  return rule.to === "same" ? status : rule.to;
}

export const isTerminal = (status: BookingStatus): boolean => BOOKING_ACTIONS.every((action) => !RULES[action].from.includes(status));

/**
 * Customers may cancel or reschedule until `cutoffMin` minutes before the
 * start; staff are not bound by it.
 */
export function withinCutoff(startsAtMs: number, cutoffMin: number, now: number): boolean {
  return now <= startsAtMs - cutoffMin * 60_000;
}
