export {
  renderBookingEmail,
  renderInvitationEmail,
  escapeHtml,
  formatWhen,
  type BookingEmailData,
  type InvitationEmailData,
  type RenderedEmail,
} from "./render";
export { asLocale, LOCALES, LOCALE_CODES, type EmailKind, type Locale } from "./strings";
