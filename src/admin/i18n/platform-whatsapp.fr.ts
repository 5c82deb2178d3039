export const platformWhatsAppFr = {
  title: "Expéditeur WhatsApp",
  hint: "Le numéro propre de l'entreprise dans le WhatsApp Business Manager de Meta : ses messages partent de ce numéro et les réponses qu'il reçoit arrivent à cette entreprise. Vide : l'expéditeur par défaut de la plateforme, s'il est configuré ; sinon ses messages WhatsApp attendent (jamais de repli sur le SMS).",
  current: "Expéditeur actuel",
  none: "aucun (expéditeur par défaut de la plateforme)",
  phoneNumberId: "Identifiant du numéro (Meta)",
  displayNumber: "Numéro affiché aux clients",
  save: "Enregistrer l'expéditeur",
  saved: "Expéditeur WhatsApp enregistré.",
  fixErrors: "Merci de corriger les champs indiqués.",
  badId: "Identifiant du numéro chez Meta : chiffres uniquement.",
  badNumber: "Format international, par ex. +212522000000.",
  numberNeedsId: "Un numéro a besoin de son identifiant.",
  taken: "Une autre entreprise utilise déjà cet identifiant.",
};

export type PlatformWhatsAppMessages = typeof platformWhatsAppFr;
