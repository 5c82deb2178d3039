export {
  renderBookingEmail,
  renderInvitationEmail,
  renderPasswordResetEmail,
  escapeHtml,
  formatWhen,
  type BookingEmailData,
  type InvitationEmailData,
  type PasswordResetEmailData,
  type RenderedEmail,
} from "./render";
export { asLocale, LOCALES, LOCALE_CODES, type EmailKind, type Locale } from "./strings";
