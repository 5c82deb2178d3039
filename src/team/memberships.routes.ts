import { createRoute, z } from "@hono/zod-openapi";
import { MEMBERSHIP_ROLES, tenantMemberships, users } from "../db/schema/public";
import { listQuerySchema, pageSchema, type ListSpec } from "../http/list-query";
import {
  bearer,
  jsonBody,
  jsonContent,
  problemResponseSpec as problem,
  tenantHostErrors,
  validationErrors,
  IdParams,
} from "../http/schemas";
import { requireTenantHost } from "../tenancy/middleware";
import { requireRole } from "../auth/guards";
import { PASSWORD_MAX_LENGTH } from "../auth/passwords";
import { EmailSchema, UserSchema } from "../auth/users";

const unauthorized = { 401: problem("Missing or invalid access token, or a token for another business") };
const Role = z.enum(MEMBERSHIP_ROLES);

export const MembershipSchema = z
  .object({
    id: z.uuid(),
    role: Role,
    user: z.object({ id: z.uuid(), email: z.string(), display_name: z.string() }),
    created_at: z.string(),
    last_active_at: z.string().nullable().openapi({
      description: "The member's last sign-in or session renewal on this business, to the hour; null if never",
    }),
  })
  .openapi("Membership");

export const membershipListSpec: ListSpec = {
  search: [users.email, users.displayName],
  filters: { role: { column: tenantMemberships.role, schema: Role } },
  ordering: { email: users.email, role: tenantMemberships.role, created_at: tenantMemberships.createdAt },
  defaultOrdering: "email",
  tiebreak: tenantMemberships.id,
};

const memberTags = ["Memberships"];

export const listMemberships = createRoute({
  method: "get",
  path: "/api/memberships",
  tags: memberTags,
  summary: "The business's members (staff see only themselves)",
  security: bearer,
  middleware: [requireTenantHost, requireRole("staff")] as const,
  request: { query: listQuerySchema(membershipListSpec) },
  responses: {
    200: jsonContent(pageSchema(MembershipSchema), "A page of members"),
    ...unauthorized,
    ...tenantHostErrors,
    422: problem("Invalid query"),
  },
});

export const getMembership = createRoute({
  method: "get",
  path: "/api/memberships/{id}",
  tags: memberTags,
  summary: "One member (staff: only their own membership)",
  security: bearer,
  middleware: [requireTenantHost, requireRole("staff")] as const,
  request: { params: IdParams },
  responses: { 200: jsonContent(MembershipSchema, "The member"), ...unauthorized, ...tenantHostErrors },
});

export const UpdateMembershipBody = z.object({ role: Role }).strict().openapi("UpdateMembershipRequest");

export const updateMembership = createRoute({
  method: "patch",
  path: "/api/memberships/{id}",
  tags: memberTags,
  summary: "Change a member's role (owner/admin; admins cannot touch owners or make owners)",
  security: bearer,
  middleware: [requireTenantHost, requireRole("admin")] as const,
  request: { params: IdParams, body: jsonBody(UpdateMembershipBody) },
  responses: {
    200: jsonContent(MembershipSchema, "Updated"),
    409: problem("Would leave the business without an owner"),
    ...unauthorized,
    ...tenantHostErrors,
    ...validationErrors,
  },
});

export const deleteMembership = createRoute({
  method: "delete",
  path: "/api/memberships/{id}",
  tags: memberTags,
  summary: "Remove a member (their refresh tokens for this business are revoked)",
  security: bearer,
  middleware: [requireTenantHost, requireRole("admin")] as const,
  request: { params: IdParams },
  responses: {
    204: { description: "Removed" },
    409: problem("Would leave the business without an owner"),
    ...unauthorized,
    ...tenantHostErrors,
  },
});

const inviteTags = ["Invitations"];

export const InvitationSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: Role,
    created_at: z.string(),
    expires_at: z.string(),
  })
  .openapi("Invitation");

export const CreatedInvitationSchema = InvitationSchema.extend({
  token: z
    .string()
    .optional()
    .openapi({ description: "Signed, expiring invitation token; returned outside production only (the invitee gets it by email)" }),
  accept_url: z.string().optional().openapi({ description: "Returned outside production only" }),
}).openapi("CreatedInvitation");

export const CreateInvitationBody = z
  .object({ email: EmailSchema, role: Role.default("staff") })
  .strict()
  .openapi("CreateInvitationRequest");

export const createInvitation = createRoute({
  method: "post",
  path: "/api/invitations",
  tags: inviteTags,
  summary: "Invite someone by email (owner/admin; only owners invite owners)",
  security: bearer,
  middleware: [requireTenantHost, requireRole("admin")] as const,
  request: { body: jsonBody(CreateInvitationBody) },
  responses: {
    201: jsonContent(CreatedInvitationSchema, "Invitation created; the link is returned"),
    409: problem("Already a member"),
    ...unauthorized,
    ...tenantHostErrors,
    ...validationErrors,
  },
});

export const listInvitations = createRoute({
  method: "get",
  path: "/api/invitations",
  tags: inviteTags,
  summary: "Pending invitations (owner/admin)",
  security: bearer,
  middleware: [requireTenantHost, requireRole("admin")] as const,
  responses: {
    200: jsonContent(z.object({ results: z.array(InvitationSchema) }), "Pending invitations, newest first"),
    ...unauthorized,
    ...tenantHostErrors,
  },
});

export const revokeInvitation = createRoute({
  method: "delete",
  path: "/api/invitations/{id}",
  tags: inviteTags,
  summary: "Revoke a pending invitation (owner/admin)",
  security: bearer,
  middleware: [requireTenantHost, requireRole("admin")] as const,
  request: { params: IdParams },
  responses: { 204: { description: "Revoked" }, ...unauthorized, ...tenantHostErrors },
});

export const resendInvitation = createRoute({
  method: "post",
  path: "/api/invitations/{id}/resend",
  tags: inviteTags,
  summary: "Send a pending invitation again (owner/admin; only owners resend owner invitations)",
  description:
    "A new invitation replaces the pending one: a new id and link, valid for the full period again, emailed through the outbox. The old link stops working.",
  security: bearer,
  middleware: [requireTenantHost, requireRole("admin")] as const,
  request: { params: IdParams },
  responses: {
    201: jsonContent(CreatedInvitationSchema, "The new invitation that replaces it; the link is returned outside production"),
    409: problem("The invitee has become a member meanwhile"),
    422: problem("Invalid invitation id"),
    ...unauthorized,
    ...tenantHostErrors,
  },
});

export const AcceptInvitationBody = z
  .object({
    token: z.string().min(1).max(2048),
    password: z.string().min(1).max(PASSWORD_MAX_LENGTH).openapi({
      description: "A new password for a new account, or the existing account's password to link it",
    }),
    display_name: z.string().trim().max(120).optional(),
  })
  .strict()
  .openapi("AcceptInvitationRequest");

export const acceptInvitation = createRoute({
  method: "post",
  path: "/api/invitations/accept",
  tags: inviteTags,
  summary: "Accept an invitation (public): creates the account or links an existing one",
  middleware: [requireTenantHost] as const,
  request: { body: jsonBody(AcceptInvitationBody) },
  responses: {
    201: jsonContent(z.object({ user: UserSchema, membership: z.object({ id: z.uuid(), role: Role }) }), "Member added"),
    400: problem("Invalid or expired invitation link"),
    401: problem("Wrong password for the existing account"),
    409: problem("Invitation already used or revoked"),
    413: problem("Request body too large"),
    422: problem("Validation failed (e.g. weak password)"),
    429: problem("Too many attempts"),
    ...tenantHostErrors,
  },
});
