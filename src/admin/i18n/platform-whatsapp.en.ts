import type { PlatformWhatsAppMessages } from "./platform-whatsapp.fr";

export const platformWhatsAppEn: PlatformWhatsAppMessages = {
  title: "WhatsApp sender",
  hint: "The business's own number in Meta's WhatsApp Business Manager: its messages go out from it and replies to it reach this business. Empty: the platform's default sender, if one is configured; otherwise its WhatsApp messages wait (they never fall back to SMS).",
  current: "Current sender",
  none: "none (the platform's default sender)",
  phoneNumberId: "Phone-number id (Meta)",
  displayNumber: "Number customers see",
  save: "Save the sender",
  saved: "WhatsApp sender saved.",
  fixErrors: "Please fix the fields shown.",
  badId: "Meta's phone-number id: digits only.",
  badNumber: "International format, e.g. +212522000000.",
  numberNeedsId: "A number needs its phone-number id.",
  taken: "Another business already uses this phone-number id.",
};
