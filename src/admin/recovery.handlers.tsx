/** Forgotten password, reset link and invitation pages (filled in next). */
import type { AdminContext } from "./session";

const later = (c: AdminContext) => c.redirect("/admin/login", 303);
export const forgotPage = later;
export const forgotPost = later;
export const resetPage = later;
export const resetPost = later;
export const invitationPage = later;
export const invitationPost = later;
export const legacyInvitationLink = later;
