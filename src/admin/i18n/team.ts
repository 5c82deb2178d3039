/** The team screen's words, by language. */
import type { Lang } from "../../web/i18n";
import { teamAr } from "./team.ar";
import { teamEn } from "./team.en";
import { type TeamMessages, teamFr } from "./team.fr";

export type { TeamMessages };
const DICTIONARIES: Record<Lang, TeamMessages> = { fr: teamFr, ar: teamAr, en: teamEn };

export const teamMessages = (lang: Lang): TeamMessages => DICTIONARIES[lang];
