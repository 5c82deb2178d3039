import { describe, expect, it } from "vitest";
import { normaliseEmail, normalisePhone, tryNormalisePhone } from "../src/domain/contact";
import { isPhoneCountry, phoneCountryOf } from "../src/domain/country";
import { InvalidInput } from "../src/domain/errors";
import { toApiError } from "../src/http/errors";
import { ApiError } from "../src/http/problem";

/** The domain error thrown, as the API answers it (the one mapping in src/http/errors.ts). */
function failure(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInput);
    return toApiError(error)!;
  }
  throw new Error("expected a failure");
}

describe("normaliseEmail", () => {
  it("trims and lower-cases", () => {
    expect(normaliseEmail("  Sara.B@Mail.MA ")).toBe("sara.b@mail.ma");
  });

  it.each(["", "sara", "sara@", "@mail.ma", "sara@mail", "sa ra@mail.ma", "sara@mail..ma", "sara@@mail.ma", "sa\u0000ra@mail.ma"])(
    "refuses %j with a 422 naming the field",
    (input) => {
      const error = failure(() => normaliseEmail(input, "customer.email"));
      expect(error).toBeInstanceOf(ApiError);
      expect(error.status).toBe(422);
      expect(error.errors?.[0].field).toBe("customer.email");
    },
  );
});

describe("normalisePhone", () => {
  it.each([
    ["0612345678", "+212612345678"],
    ["06 12 34 56 78", "+212612345678"],
    ["06.12.34.56.78", "+212612345678"],
    ["0522-12-34-56", "+212522123456"],
    ["+212612345678", "+212612345678"],
    ["+212 6 12 34 56 78", "+212612345678"],
    ["+212 (0)6 12 34 56 78", "+212612345678"],
    ["00212612345678", "+212612345678"],
    ["+33 6 12 34 56 78", "+33612345678"],
    ["+1 415 555 0100", "+14155550100"],
    ["612345678", "+212612345678"],
  ])("reads %j as %s", (input, expected) => {
    expect(normalisePhone(input)).toBe(expected);
  });

  it("reads national forms of another default country", () => {
    expect(normalisePhone("06 12 34 56 78", "FR")).toBe("+33612345678");
    expect(normalisePhone("030 1234567", "DE")).toBe("+49301234567");
    expect(normalisePhone("(202) 555-0143", "US")).toBe("+12025550143");
    // The same digits are another number, or none, in another country.
    expect(tryNormalisePhone("0612345678", "US")).toBeNull();
  });

  it.each([
    "+999999999999999",
    "+212000000000",
    "+2120612345678 ext. 12",
    "+212612345678 ext. 12",
    "tel:+212612345678",
    "0612345678\u0000",
    "+".padEnd(60, "1"),
  ])("refuses %j, which is no number of any numbering plan (or cannot be stored)", (input) => {
    expect(tryNormalisePhone(input)).toBeNull();
  });

  it("takes the default country from the business, falling back to MA for an unknown or missing one", () => {
    expect(phoneCountryOf({ country: "FR" })).toBe("FR");
    expect(phoneCountryOf({})).toBe("MA");
    expect(phoneCountryOf({ country: "XX" })).toBe("MA");
    expect(isPhoneCountry("ma")).toBe(false);
    expect(isPhoneCountry("BE")).toBe(true);
  });

  it.each(["", "abc", "12345", "061234567", "06123456789", "+212 12345", "+2126123456789", "+0612345678", "+212 612 34x 678"])(
    "refuses %j",
    (input) => {
      expect(tryNormalisePhone(input)).toBeNull();
      const error = failure(() => normalisePhone(input));
      expect(error.status).toBe(422);
      expect(error.code).toBe("validation_failed");
      expect(error.errors?.[0].field).toBe("phone");
    },
  );
});
