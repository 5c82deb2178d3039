/** Words of the front-desk screens (calendar, booking, customers, takings) in fr/ar/en. */
import type { Lang } from "../../web/i18n";
import { frontdeskAr } from "./frontdesk.ar";
import { frontdeskEn } from "./frontdesk.en";
import { type FrontdeskMessages, frontdeskFr } from "./frontdesk.fr";

export type { FrontdeskMessages };
const DICTIONARIES: Record<Lang, FrontdeskMessages> = { fr: frontdeskFr, ar: frontdeskAr, en: frontdeskEn };

export const frontdeskMessages = (lang: Lang): FrontdeskMessages => DICTIONARIES[lang];
