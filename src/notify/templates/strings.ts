/**
 * Every customer-facing sentence, per locale. Placeholders are `{name}`; the
 * renderer fills them (HTML-escaped in the HTML part). Arabic is written
 * right-to-left: the renderer sets `dir="rtl"` from `LOCALES[locale].dir`.
 */
import { LOCALES as LOCALE_CODES, type Locale } from "../../domain/locales";

export { LOCALE_CODES, type Locale };

export type EmailKind =
  | "booking_confirmation"
  | "booking_cancellation"
  | "booking_reschedule"
  | "reminder"
  | "invitation"
  | "password_reset";

export interface KindStrings {
  subject: string;
  heading: string;
  intro: string;
}

export interface LocaleStrings {
  /** BCP 47 tag for Intl date formatting. */
  intl: string;
  dir: "ltr" | "rtl";
  hello: string;
  labels: {
    service: string;
    staff: string;
    when: string;
    previously: string;
    reason: string;
    manage: string;
    accept: string;
    reset: string;
  };
  footer: string;
  kinds: Record<EmailKind, KindStrings>;
  roles: Record<string, string>;
}

export const LOCALES: Record<Locale, LocaleStrings> = {
  en: {
    intl: "en-GB",
    dir: "ltr",
    hello: "Hello {customer},",
    labels: {
      service: "Service",
      staff: "With",
      when: "When",
      previously: "Previously",
      reason: "Reason",
      manage: "Manage your booking",
      accept: "Accept the invitation",
      reset: "Choose a new password",
    },
    footer: "Sent by {tenant} via BookMe. The attached calendar file adds the appointment to your calendar.",
    kinds: {
      booking_confirmation: {
        subject: "Booking confirmed: {service} on {when}",
        heading: "Your booking is confirmed",
        intro: "Your appointment at {tenant} is confirmed.",
      },
      booking_cancellation: {
        subject: "Booking cancelled: {service} on {when}",
        heading: "Your booking is cancelled",
        intro: "Your appointment at {tenant} has been cancelled.",
      },
      booking_reschedule: {
        subject: "Booking moved: {service} now on {when}",
        heading: "Your booking has moved",
        intro: "Your appointment at {tenant} has been moved to a new time.",
      },
      reminder: {
        subject: "Reminder: {service} on {when}",
        heading: "See you soon",
        intro: "A reminder of your upcoming appointment at {tenant}.",
      },
      invitation: {
        subject: "Join {tenant} on BookMe",
        heading: "You are invited",
        intro: "{inviter} invited you to join {tenant} as {role}.",
      },
      password_reset: {
        subject: "Reset your {tenant} password",
        heading: "Choose a new password",
        intro:
          "Someone (hopefully you) asked to reset the password of your {tenant} account. The link works once, for one hour. If it was not you, ignore this email: your password stays the same.",
      },
    },
    roles: { owner: "owner", admin: "administrator", staff: "staff member" },
  },
  fr: {
    intl: "fr-FR",
    dir: "ltr",
    hello: "Bonjour {customer},",
    labels: {
      service: "Prestation",
      staff: "Avec",
      when: "Quand",
      previously: "Auparavant",
      reason: "Motif",
      manage: "Gérer ma réservation",
      accept: "Accepter l’invitation",
      reset: "Choisir un nouveau mot de passe",
    },
    footer: "Envoyé par {tenant} via BookMe. Le fichier calendrier joint ajoute le rendez-vous à votre agenda.",
    kinds: {
      booking_confirmation: {
        subject: "Réservation confirmée : {service} le {when}",
        heading: "Votre réservation est confirmée",
        intro: "Votre rendez-vous chez {tenant} est confirmé.",
      },
      booking_cancellation: {
        subject: "Réservation annulée : {service} le {when}",
        heading: "Votre réservation est annulée",
        intro: "Votre rendez-vous chez {tenant} a été annulé.",
      },
      booking_reschedule: {
        subject: "Réservation déplacée : {service} le {when}",
        heading: "Votre réservation a été déplacée",
        intro: "Votre rendez-vous chez {tenant} a été déplacé.",
      },
      reminder: {
        subject: "Rappel : {service} le {when}",
        heading: "À bientôt",
        intro: "Petit rappel de votre prochain rendez-vous chez {tenant}.",
      },
      invitation: {
        subject: "Rejoignez {tenant} sur BookMe",
        heading: "Vous êtes invité·e",
        intro: "{inviter} vous invite à rejoindre {tenant} en tant que {role}.",
      },
      password_reset: {
        subject: "Réinitialisez votre mot de passe {tenant}",
        heading: "Choisissez un nouveau mot de passe",
        intro:
          "Une demande de réinitialisation du mot de passe de votre compte {tenant} a été faite. Le lien fonctionne une seule fois, pendant une heure. Si ce n’était pas vous, ignorez cet e-mail : votre mot de passe reste inchangé.",
      },
    },
    roles: { owner: "propriétaire", admin: "administrateur·rice", staff: "membre de l’équipe" },
  },
  ar: {
    intl: "ar-MA",
    dir: "rtl",
    hello: "مرحباً {customer}،",
    labels: {
      service: "الخدمة",
      staff: "مع",
      when: "الموعد",
      previously: "الموعد السابق",
      reason: "السبب",
      manage: "إدارة حجزك",
      accept: "قبول الدعوة",
      reset: "اختيار كلمة مرور جديدة",
    },
    footer: "أرسلها {tenant} عبر BookMe. يضيف ملف التقويم المرفق الموعد إلى تقويمك.",
    kinds: {
      booking_confirmation: {
        subject: "تأكيد الحجز: {service} يوم {when}",
        heading: "تم تأكيد حجزك",
        intro: "تم تأكيد موعدك لدى {tenant}.",
      },
      booking_cancellation: {
        subject: "إلغاء الحجز: {service} يوم {when}",
        heading: "تم إلغاء حجزك",
        intro: "تم إلغاء موعدك لدى {tenant}.",
      },
      booking_reschedule: {
        subject: "تغيير موعد الحجز: {service} يوم {when}",
        heading: "تم تغيير موعد حجزك",
        intro: "تم نقل موعدك لدى {tenant} إلى وقت جديد.",
      },
      reminder: { subject: "تذكير: {service} يوم {when}", heading: "نراك قريباً", intro: "نذكّرك بموعدك القادم لدى {tenant}." },
      invitation: {
        subject: "انضم إلى {tenant} على BookMe",
        heading: "لديك دعوة",
        intro: "دعاك {inviter} للانضمام إلى {tenant} بصفة {role}.",
      },
      password_reset: {
        subject: "إعادة تعيين كلمة مرور {tenant}",
        heading: "اختر كلمة مرور جديدة",
        intro:
          "طُلبت إعادة تعيين كلمة مرور حسابك لدى {tenant}. يعمل الرابط مرة واحدة ولمدة ساعة. إن لم تكن أنت صاحب الطلب فتجاهل هذه الرسالة: كلمة مرورك تبقى كما هي.",
      },
    },
    roles: { owner: "مالك", admin: "مسؤول", staff: "عضو في الفريق" },
  },
};

export function asLocale(value: string | null | undefined): Locale {
  return (LOCALE_CODES as readonly string[]).includes(value ?? "") ? (value as Locale) : "fr";
}
