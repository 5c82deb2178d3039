/** The "add to calendar" file of a booking (RFC 5545, written by the notification module's writer). */
import { ms } from "../bookings/booking.model";
import { buildIcs } from "../notify/ics";
import type { ManagedBooking } from "../bookings/manage.service";

export function bookingIcs(booking: ManagedBooking, opts: { tenantName: string; domain: string; manageUrl: string; now?: number }): string {
  return buildIcs({
    // A download is published, not a scheduling request (no reply is expected); the
    // manage page refuses the file for a booking that is no longer open.
    method: "PUBLISH",
    uid: booking.id,
    domain: opts.domain,
    // The token version grows with each reschedule: calendar clients replace the event.
    sequence: booking.manage_token_version - 1,
    start: new Date(ms(booking.starts_at)),
    end: new Date(ms(booking.ends_at)),
    stamp: new Date(opts.now ?? Date.now()),
    summary: `${booking.service_name} · ${opts.tenantName}`,
    location: opts.tenantName,
    description: `${booking.service_name} (${booking.staff_name})\n${opts.manageUrl}`,
    organizer: { name: opts.tenantName, email: `no-reply@${opts.domain}` },
  });
}
