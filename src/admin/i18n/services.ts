/** The catalogue screens' words, by language. */
import type { Lang } from "../../web/i18n";
import { servicesAr } from "./services.ar";
import { servicesEn } from "./services.en";
import { type ServicesMessages, servicesFr } from "./services.fr";

export type { ServicesMessages };
const DICTIONARIES: Record<Lang, ServicesMessages> = { fr: servicesFr, ar: servicesAr, en: servicesEn };

export const servicesMessages = (lang: Lang): ServicesMessages => DICTIONARIES[lang];
