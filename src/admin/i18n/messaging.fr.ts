/** Messages and alerts screens (/admin/settings/messaging, /admin/account/alerts), French: the reference shape. */
export const messagingFr = {
  title: "Messages et alertes",
  saved: "Modifications enregistrées.",
  save: "Enregistrer",
  fixErrors: "Corrigez les champs signalés.",
  channel: {
    legend: "Messages aux clients",
    lead: "Confirmation, rappels, changements et annulations partent par e-mail, et sur ce canal quand le client a donné un téléphone.",
    whatsapp: "WhatsApp",
    sms: "SMS",
  },
  agenda: {
    legend: "Agenda du jour",
    time: "Heure d’envoi de l’agenda du jour",
    hint: (zone: string) => `Chaque membre de l’équipe reçoit ses rendez-vous du jour à cette heure, heure de l’entreprise (${zone}).`,
  },
  embed: {
    legend: "Sites autorisés à intégrer la réservation",
    origins: "Adresses des sites (une par ligne)",
    hint: "Par ex. https://www.mon-salon.ma : seulement le début de l’adresse, sans chemin ni « * ». Vide : aucun site ne peut afficher la page dans un cadre.",
    snippets: "Codes à copier sur votre site",
    snippetsLead: "Collez l’un de ces codes dans une page de votre site.",
    button: "Bouton « Réserver » (ouvre la réservation dans un nouvel onglet)",
    inline: "Réservation dans la page (cadre intégré)",
    inlineNote: "Le cadre ne s’affiche que sur les sites listés ci-dessus.",
    link: "Lien simple",
    bookLabel: "Réserver",
    copy: "Copier",
    copied: "Copié",
  },
  alerts: {
    title: "Mes alertes",
    lead: (email: string) => `Les alertes partent par e-mail à ${email}, et sur WhatsApp si vous donnez un numéro.`,
    legend: "Me prévenir quand",
    onCreated: "un rendez-vous est pris",
    onCancelled: "un rendez-vous est annulé",
    onRescheduled: "un rendez-vous est déplacé",
    dailyAgenda: "Recevoir mon agenda du jour chaque matin",
    dailyAgendaHint: "Pour les membres de l’équipe qui ont des rendez-vous.",
    notStaff:
      "Votre compte n’est pas lié à un membre de l’équipe : vous recevez les alertes de toute l’entreprise (propriétaire, administration).",
    staffScope: "Vous recevez les alertes de vos propres rendez-vous.",
    whatsapp: "Mon numéro WhatsApp (facultatif)",
    whatsappHint: "Par ex. 06 12 34 56 78 ou +212612345678. Vide : alertes par e-mail seulement.",
  },
  errors: {
    phone_channel: "Choisissez WhatsApp ou SMS.",
    agenda_time: "Indiquez une heure, par ex. 07:30.",
    embed_origins: (lines: string) =>
      `Adresse refusée (ligne ${lines}) : écrivez seulement https://site.ma (pas de chemin, pas de « * », http seulement pour localhost).`,
    tooMany: "Dix sites au plus.",
    whatsapp_phone: "Indiquez un numéro valide : +212612345678 ou 0612345678.",
  },
};
export type MessagingMessages = typeof messagingFr;
