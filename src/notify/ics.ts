/**
 * A minimal RFC 5545 writer for one appointment (no dependency: the format we
 * need is small, and every calendar client reads it). What matters for clients:
 * a stable UID per booking (updates replace, not duplicate), SEQUENCE growing
 * with each reschedule, METHOD (PUBLISH for a download, REQUEST / CANCEL in
 * emails; see IcsEvent), UTC times, CRLF line endings
 * and lines folded at 75 octets without splitting a UTF-8 character.
 */

interface Party {
  name: string;
  email: string;
}

interface IcsEventBase {
  /** Booking id. */
  uid: string;
  /** The tenant's domain, making the UID globally unique. */
  domain: string;
  sequence: number;
  start: Date;
  end: Date;
  stamp: Date;
  summary: string;
  location?: string;
  description?: string;
}

/**
 * RFC 5546: a file a person downloads and imports is PUBLISH (no reply
 * expected); REQUEST and CANCEL are scheduling messages (the email
 * attachments) and are only valid with an ORGANIZER and an ATTENDEE, so the
 * type will not let one be written without them. ORGANIZER is written for
 * PUBLISH too, where RFC 5546 §3.2.1 also requires it.
 */
export type IcsEvent = IcsEventBase &
  ({ method: "PUBLISH"; organizer: Party; attendee?: undefined } | { method: "REQUEST" | "CANCEL"; organizer: Party; attendee: Party });

const encoder = new TextEncoder();

/** TEXT value escaping (RFC 5545 §3.3.11). */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

/** Quoted parameter value (CN=...): DQUOTE and control characters are not allowed inside. */
function paramValue(value: string): string {
  return `"${value.replace(/["\r\n\t]/g, " ")}"`;
}

export function formatUtc(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** Folds one content line: at most 75 octets per physical line, continuations start with a space. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = "";
  let currentBytes = 0;
  let limit = 75;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (currentBytes + size > limit) {
      parts.push(current);
      current = " ";
      currentBytes = 1;
      limit = 75;
    }
    current += ch;
    currentBytes += size;
  }
  parts.push(current);
  return parts.join("\r\n");
}

export function buildIcs(event: IcsEvent): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//BookMe//Booking//EN",
    "CALSCALE:GREGORIAN",
    `METHOD:${event.method}`,
    "BEGIN:VEVENT",
    `UID:${event.uid}@${event.domain}`,
    `DTSTAMP:${formatUtc(event.stamp)}`,
    `DTSTART:${formatUtc(event.start)}`,
    `DTEND:${formatUtc(event.end)}`,
    `SEQUENCE:${Math.max(0, Math.floor(event.sequence))}`,
    `STATUS:${event.method === "CANCEL" ? "CANCELLED" : "CONFIRMED"}`,
    `SUMMARY:${escapeText(event.summary)}`,
  ];
  if (event.location) lines.push(`LOCATION:${escapeText(event.location)}`);
  if (event.description) lines.push(`DESCRIPTION:${escapeText(event.description)}`);
  lines.push(`ORGANIZER;CN=${paramValue(event.organizer.name)}:mailto:${event.organizer.email}`);
  if (event.attendee) {
    lines.push(`ATTENDEE;CN=${paramValue(event.attendee.name)};ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:${event.attendee.email}`);
  }
  lines.push("END:VEVENT", "END:VCALENDAR");
  return `${lines.map(foldLine).join("\r\n")}\r\n`;
}

/** Base64 of the UTF-8 bytes (email attachments are base64). */
export function toBase64(text: string): string {
  const bytes = encoder.encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
