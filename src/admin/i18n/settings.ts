/** The settings screens' words, by language. */
import type { Lang } from "../../web/i18n";
import { settingsAr } from "./settings.ar";
import { settingsEn } from "./settings.en";
import { type SettingsMessages, settingsFr } from "./settings.fr";

export type { SettingsMessages };
const DICTIONARIES: Record<Lang, SettingsMessages> = { fr: settingsFr, ar: settingsAr, en: settingsEn };

export const settingsMessages = (lang: Lang): SettingsMessages => DICTIONARIES[lang];
