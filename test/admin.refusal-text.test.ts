/**
 * The back office words a service's refusal in the page's language: by the
 * error's class, its stable reason code or the field it names, never the
 * service's English sentence.
 */
import { describe, expect, it } from "vitest";
import { refusalText } from "../src/admin/refusal-text";
import { Conflict, CutoffPassed, InvalidInput, InvalidTransition, NotFound, RateLimited, SlotTaken } from "../src/domain/errors";

describe("refusal text", () => {
  it("words a taken slot by its reason in French, Arabic and English", () => {
    const taken = new SlotTaken("The staff member is already booked at this time.", "staff_unavailable", []);
    expect(refusalText("fr", taken)).toBe("Ce membre de l'équipe a déjà un rendez-vous à cette heure.");
    expect(refusalText("ar", taken)).toContain("موعد");
    expect(refusalText("en", taken)).toBe("This staff member already has an appointment at this time.");
  });

  it("carries the numbers of a cut-off, a confirmation and a rate limit", () => {
    expect(refusalText("fr", new CutoffPassed("too late", 120))).toContain("120 min");
    expect(refusalText("en", new Conflict("x", "confirm_required", { upcoming_bookings: 4 }))).toContain("4 upcoming");
    expect(refusalText("ar", new RateLimited("slow down", 30))).toContain("30");
  });

  it("tells an already-cancelled booking from another refused transition", () => {
    expect(refusalText("en", new InvalidTransition("x", { status: "cancelled", action: "cancel" }))).toBe(
      "This booking is already cancelled.",
    );
    expect(refusalText("en", new InvalidTransition("x", { status: "completed", action: "confirm" }))).toMatch(/current status/);
  });

  it("recognises the last-owner and already-member rules by the field they name", () => {
    const lastOwner = new Conflict("A business must keep…", undefined, {}, [{ field: "role", message: "last owner" }]);
    expect(refusalText("fr", lastOwner)).toMatch(/au moins un propriétaire/);
    const member = new Conflict("x is already a member", undefined, {}, [{ field: "email", message: "already a member" }]);
    expect(refusalText("en", member)).toBe("This person is already on the team.");
  });

  it("names the refused fields of invalid input in the page's language", () => {
    const bad = new InvalidInput([{ field: "customer.phone", message: "not a phone number" }]);
    expect(refusalText("fr", bad)).toBe("Certaines valeurs ne sont pas valables : vérifiez le formulaire. (téléphone)");
    expect(refusalText("en", new InvalidInput([{ field: "unknown_thing", message: "?" }]))).toBe(
      "Some values are not valid: check the form.",
    );
  });

  it("falls back to a general sentence, never the service's English, for anything else", () => {
    expect(refusalText("fr", new Conflict("Something English happened."))).not.toContain("English");
    expect(refusalText("fr", new NotFound("No booking with this id here."))).toBe("Cet élément n'existe pas ou plus.");
    expect(refusalText("ar", new Error("boom"))).not.toContain("boom");
  });
});
