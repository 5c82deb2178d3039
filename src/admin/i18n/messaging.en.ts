/** Messages and alerts screens, English. */
import type { MessagingMessages } from "./messaging.fr";

export const messagingEn: MessagingMessages = {
  title: "Messages and alerts",
  saved: "Changes saved.",
  save: "Save",
  fixErrors: "Please fix the marked fields.",
  channel: {
    legend: "Messages to customers",
    lead: "Confirmation, reminders, changes and cancellations go by email, and on this channel when the customer gave a phone number.",
    whatsapp: "WhatsApp",
    sms: "SMS",
  },
  agenda: {
    legend: "Daily agenda",
    time: "Time the daily agenda is sent",
    hint: (zone: string) => `Each team member gets the day's appointments at this time, business time (${zone}).`,
  },
  embed: {
    legend: "Sites allowed to embed booking",
    origins: "Site addresses (one per line)",
    hint: "E.g. https://www.my-salon.ma: only the start of the address, no path and no “*”. Empty: no site may show the page in a frame.",
    snippets: "Code to copy into your site",
    snippetsLead: "Paste one of these into a page of your site.",
    button: "“Book” button (opens booking in a new tab)",
    inline: "Booking inside the page (embedded frame)",
    inlineNote: "The frame only shows on the sites listed above.",
    link: "Plain link",
    bookLabel: "Book",
    copy: "Copy",
    copied: "Copied",
  },
  alerts: {
    title: "My alerts",
    lead: (email: string) => `Alerts go by email to ${email}, and on WhatsApp if you give a number.`,
    legend: "Tell me when",
    onCreated: "a booking is made",
    onCancelled: "a booking is cancelled",
    onRescheduled: "a booking is moved",
    dailyAgenda: "Send me my agenda every morning",
    dailyAgendaHint: "For team members who have appointments.",
    notStaff: "Your account is not linked to a team member: you get the alerts of the whole business (owner, administration).",
    staffScope: "You get the alerts of your own appointments.",
    whatsapp: "My WhatsApp number (optional)",
    whatsappHint: "E.g. 06 12 34 56 78 or +212612345678. Empty: email alerts only.",
  },
  errors: {
    phone_channel: "Choose WhatsApp or SMS.",
    agenda_time: "Enter a time, e.g. 07:30.",
    embed_origins: (lines: string) =>
      `Address refused (line ${lines}): write only https://site.ma (no path, no “*”, http only for localhost).`,
    tooMany: "Ten sites at most.",
    whatsapp_phone: "Enter a valid number: +212612345678 or 0612345678.",
  },
};
