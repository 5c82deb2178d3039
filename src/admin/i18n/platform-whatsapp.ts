import type { Lang } from "../../web/i18n";
import { platformWhatsAppAr } from "./platform-whatsapp.ar";
import { platformWhatsAppEn } from "./platform-whatsapp.en";
import { type PlatformWhatsAppMessages, platformWhatsAppFr } from "./platform-whatsapp.fr";

export type { PlatformWhatsAppMessages };
export const platformWhatsAppMessages = (lang: Lang): PlatformWhatsAppMessages =>
  ({ fr: platformWhatsAppFr, ar: platformWhatsAppAr, en: platformWhatsAppEn })[lang];
