/** The shape every dictionary follows: French is the reference (see index.ts). */
import type { fr } from "./fr";

export type Messages = typeof fr;
