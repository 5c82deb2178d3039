/**
 * The sentence a back-office screen shows when a service refuses an action,
 * in the page's language. Services speak English to the API (their messages
 * are the problem+json `detail`); the screens choose their own words from the
 * error's class, its stable `reason` code or the field it names, so a French
 * or Arabic owner never reads an English sentence.
 */
import { Conflict, CutoffPassed, Forbidden, InvalidInput, NotFound, RateLimited, SlotTaken } from "../domain/errors";
import type { Lang } from "../web/i18n";
import { refusalsAr } from "./i18n/refusals.ar";
import { refusalsEn } from "./i18n/refusals.en";
import { type RefusalMessages, refusalsFr } from "./i18n/refusals.fr";

const WORDS: Record<Lang, RefusalMessages> = { fr: refusalsFr, ar: refusalsAr, en: refusalsEn };

/** Field problems services attach (`{ field, message }`) whose message is a stable marker. */
const FIELD_MARKERS: [RegExp, keyof RefusalMessages][] = [
  [/^last owner$/, "lastOwner"],
  [/^already a member$/, "alreadyMember"],
  [/^already taken$|^Already used by another/, "alreadyUsed"],
];

export function refusalText(lang: Lang, error: unknown): string {
  const w = WORDS[lang];
  if (error instanceof CutoffPassed) return w.cutoffPassed(error.cutoffMinutes);
  if (error instanceof SlotTaken) {
    if (error.reason === "staff_unavailable") return w.staffUnavailable;
    if (error.reason === "resource_unavailable") return w.resourceUnavailable;
    if (error.reason === "session_full") return w.sessionFull;
    return w.slotUnavailable;
  }
  if (error instanceof Conflict) {
    switch (error.reason) {
      case "invalid_transition":
        return error.details.status === "cancelled" && error.details.action === "cancel" ? w.alreadyCancelled : w.invalidTransition;
      case "not_started":
        return w.notStarted;
      case "confirm_required":
        return w.confirmRequired(Number(error.details.upcoming_bookings ?? 0));
      case "changed_meanwhile":
        return w.changedMeanwhile;
      case "still_referenced":
        return w.stillUsed;
    }
    for (const problem of error.fields ?? []) {
      const marker = FIELD_MARKERS.find(([pattern]) => pattern.test(problem.message));
      if (marker) return w[marker[1]] as string;
    }
    return w.conflict;
  }
  if (error instanceof NotFound) return w.notFound;
  if (error instanceof Forbidden) return w.forbidden;
  if (error instanceof InvalidInput) {
    const names = [...new Set(error.fields.map((f) => w.fields[f.field.split(".").at(-1)!] ?? w.fields[f.field.split(".")[0]!]))].filter(
      Boolean,
    );
    return names.length ? `${w.invalid} (${names.join(", ")})` : w.invalid;
  }
  if (error instanceof RateLimited) return w.tooMany(error.retryAfterSeconds);
  return w.unexpected;
}
