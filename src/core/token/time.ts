/** Times for people: UTC timestamps and "3 h ago" / "in 42 min", relative to the injected clock. */

export function utc(seconds: number): string {
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) return String(seconds);
  return date.toISOString().replace('.000Z', 'Z');
}

/** A coarse duration: "45 s", "12 min", "3 h", "2 h 5 min", "4 d". */
export function duration(totalSeconds: number): string {
  const s = Math.abs(Math.round(totalSeconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) {
    const hours = Math.floor(s / 3600);
    const minutes = Math.floor((s % 3600) / 60);
    return minutes === 0 || hours >= 10 ? `${hours} h` : `${hours} h ${minutes} min`;
  }
  return `${Math.floor(s / 86400)} d`;
}

/** "3 h ago" or "in 42 min" for a Unix time relative to now (ms). */
export function relative(seconds: number, nowMs: number): string {
  const delta = seconds - nowMs / 1000;
  if (Math.abs(delta) < 1) return 'now';
  return delta < 0 ? `${duration(delta)} ago` : `in ${duration(delta)}`;
}
