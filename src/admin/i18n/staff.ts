import type { Lang } from "../../web/i18n";
import { staffAr } from "./staff.ar";
import { staffEn } from "./staff.en";
import { type StaffMessages, staffFr } from "./staff.fr";

export type { StaffMessages };
export const staffMessages = (lang: Lang): StaffMessages => ({ fr: staffFr, ar: staffAr, en: staffEn })[lang];
