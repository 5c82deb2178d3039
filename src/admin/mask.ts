/**
 * Recipients as the notifications log shows them: enough to recognise a
 * message ("a•••@gmail.com", "+212•••••••78"), not enough to collect a
 * customer list by reading the screen over someone's shoulder.
 */
const DOT = "•";

export function maskEmail(address: string): string {
  const at = address.lastIndexOf("@");
  if (at < 1) return DOT.repeat(3);
  return `${address.charAt(0)}${DOT.repeat(3)}${address.slice(at)}`;
}

/** Keeps the country code's first digits and the last two: the rest of an E.164 number is hidden. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, "");
  if (digits.length < 7) return DOT.repeat(Math.max(digits.length, 3));
  return `${digits.slice(0, 4)}${DOT.repeat(digits.length - 6)}${digits.slice(-2)}`;
}

export function maskRecipient(channel: string, recipient: string): string {
  if (channel === "email") return maskEmail(recipient);
  if (channel === "whatsapp" || channel === "sms") return maskPhone(recipient);
  return recipient;
}
