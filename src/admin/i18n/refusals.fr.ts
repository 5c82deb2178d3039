/** What the back office says when a service refuses an action, French (the reference). */
export const refusalsFr = {
  staffUnavailable: "Ce membre de l'équipe a déjà un rendez-vous à cette heure.",
  resourceUnavailable: "Aucune salle ni aucun équipement nécessaire n'est libre à cette heure.",
  sessionFull: "Cette séance de groupe est complète.",
  slotUnavailable: "Cet horaire n'est plus disponible.",
  cutoffPassed: (minutes: number) => `Trop tard pour modifier en ligne : la limite est de ${minutes} min avant le rendez-vous.`,
  alreadyCancelled: "Ce rendez-vous est déjà annulé.",
  invalidTransition: "Le statut actuel du rendez-vous ne permet pas cette action.",
  notStarted: "Ce rendez-vous n'a pas encore commencé : cette issue ne peut être enregistrée qu'après son début.",
  confirmRequired: (count: number) => `${count} rendez-vous à venir gardent leurs horaires et leurs prix : confirmez le changement.`,
  changedMeanwhile: "Les données ont changé entre-temps : rechargez la page et réessayez.",
  lastOwner: "L'entreprise doit garder au moins un propriétaire : nommez-en un autre d'abord.",
  alreadyMember: "Cette personne fait déjà partie de l'équipe.",
  alreadyUsed: "Cette valeur est déjà utilisée ailleurs.",
  stillUsed: "Cet élément est encore utilisé : retirez-le d'abord de ce qui l'utilise.",
  notFound: "Cet élément n'existe pas ou plus.",
  forbidden: "Votre rôle ne permet pas cette action.",
  invalid: "Certaines valeurs ne sont pas valables : vérifiez le formulaire.",
  tooMany: (seconds: number) => `Trop de tentatives : réessayez dans ${seconds} s.`,
  conflict: "Cette action contredit l'état actuel des données : rechargez la page et réessayez.",
  unexpected: "L'action n'a pas abouti. Réessayez dans un instant.",
  /** Names of the fields services refuse, for "check the form (phone, email)". */
  fields: {
    customer: "client",
    customer_id: "client",
    name: "nom",
    phone: "téléphone",
    email: "e-mail",
    staff_id: "membre de l'équipe",
    service_id: "prestation",
    start: "heure",
    from: "date de début",
    to: "date de fin",
  } as Record<string, string>,
};

export type RefusalMessages = typeof refusalsFr;
