/**
 * Back-office words in fr/ar/en. The language is chosen like on the customer
 * pages (src/web/i18n: `?lang=`, remembered in the same cookie, then
 * Accept-Language, then the business's default); formatting goes through
 * the same INTL_LOCALE tags (Arabic with Western digits).
 */
import type { Lang } from "../../web/i18n";
import { ar } from "./ar";
import { en } from "./en";
import { fr } from "./fr";
import type { AdminMessages } from "./messages";

export type { AdminMessages };
const DICTIONARIES: Record<Lang, AdminMessages> = { fr, ar, en };

export const adminMessages = (lang: Lang): AdminMessages => DICTIONARIES[lang];
