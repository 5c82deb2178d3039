/** The platform console's words, by language. */
import type { Lang } from "../../web/i18n";
import { platformAr } from "./platform.ar";
import { platformEn } from "./platform.en";
import { type PlatformMessages, platformFr } from "./platform.fr";

export type { PlatformMessages };
const DICTIONARIES: Record<Lang, PlatformMessages> = { fr: platformFr, ar: platformAr, en: platformEn };

export const platformMessages = (lang: Lang): PlatformMessages => DICTIONARIES[lang];
