import type { Lang } from "../../web/i18n";
import { hoursAr } from "./hours.ar";
import { hoursEn } from "./hours.en";
import { type HoursMessages, hoursFr } from "./hours.fr";

export type { HoursMessages };
export const hoursMessages = (lang: Lang): HoursMessages => ({ fr: hoursFr, ar: hoursAr, en: hoursEn })[lang];
