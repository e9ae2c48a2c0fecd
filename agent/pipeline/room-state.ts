// Shared per-room state: the door processor writes it, temperature alarms read it. Rooms are the `group` of streams.

export class RoomState {
  private readonly doors = new Map<string, { open: boolean; closedAt?: number }>();

  setDoor(group: string, open: boolean, t: number): void {
    this.doors.set(group, open ? { open: true } : { open: false, closedAt: t });
  }

  /** True while any door of the room is open, and for `graceMs` after it closed. */
  doorSuppresses(group: string | undefined, t: number, graceMs: number): boolean {
    if (!group) return false;
    const d = this.doors.get(group);
    if (!d) return false;
    if (d.open) return true;
    return d.closedAt !== undefined && t - d.closedAt < graceMs;
  }
}
