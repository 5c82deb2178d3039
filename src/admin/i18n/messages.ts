/** The shape every back-office dictionary follows: French is the reference. */
import type { fr } from "./fr";

export type AdminMessages = typeof fr;
