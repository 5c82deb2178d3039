/** The integrations screens' words, by language. */
import type { Lang } from "../../web/i18n";
import { integrationsAr } from "./integrations.ar";
import { integrationsEn } from "./integrations.en";
import { type IntegrationsMessages, integrationsFr } from "./integrations.fr";

export type { IntegrationsMessages };
const DICTIONARIES: Record<Lang, IntegrationsMessages> = { fr: integrationsFr, ar: integrationsAr, en: integrationsEn };

export const integrationsMessages = (lang: Lang): IntegrationsMessages => DICTIONARIES[lang];
