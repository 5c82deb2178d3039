/** The messages and alerts screens' words, by language. */
import type { Lang } from "../../web/i18n";
import { messagingAr } from "./messaging.ar";
import { messagingEn } from "./messaging.en";
import { type MessagingMessages, messagingFr } from "./messaging.fr";

export type { MessagingMessages };
export const messagingMessages = (lang: Lang): MessagingMessages => ({ fr: messagingFr, ar: messagingAr, en: messagingEn })[lang];
