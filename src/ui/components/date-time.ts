// The one way an instant is shown as date and time: in the viewer's own time zone, with the zone's
// short name ("Dec 6, 2026, 10:24 PM GMT-3"), formatted per the browser's locale. A header in the
// workspace's zone beside a table in the viewer's made the same send read as two times.
const FORMAT: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }

export const dateTimeLabel = (at: string | Date, locale?: string) => new Date(at).toLocaleString(locale, FORMAT)
