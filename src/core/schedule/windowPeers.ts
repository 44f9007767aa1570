/**
 * What a quota window holds (Reservation) and who else holds the same quota (WindowPeers: the shared
 * ledgers in src/core/ledger/). Split from quotaWindow.ts so the ledgers depend on these types only.
 */
export interface Reservation {
  /**
   * When the service starts counting it: reservation time, moved to the send time by `restamp`; once
   * answered, a guard before the service's start (`restampAnswered`), so it leaves with the service's.
   */
  at: number;
  tokens: number;
  /** The window's tokens, ours and our peers', with this one, when it was reserved (the level it probes). */
  level?: number;
  /** When it was first restamped (sent); before that, `at`. */
  sentAt?: number;
  /** Accepted by the service (answered, or older than the probe span without a refusal); refused: settled to 0. */
  proven?: boolean;
  refused?: boolean;
  /**
   * Of `tokens`, the output cap's part (cap × burndown) while the call runs: what settling usually
   * gives back, since a call writes less than its cap. Gone once settled. Local only: not published.
   */
  releasable?: number;
}

/**
 * The other holders of the same quota — another process, another VS Code window, another folder —
 * seen through a shared ledger (src/core/ledger/). Bedrock books a quota per account, so admission
 * must count what they reserved, and they must see what we reserve.
 */
export interface WindowPeers {
  /**
   * Reservations the others hold now (`at` on the same clock as ours). `forAdmission`: a decision to
   * reserve may follow, so nobody else may reserve between this read and our next `publish`.
   */
  others(forAdmission: boolean): readonly Reservation[];
  /** Our entries changed (reserved, restamped, settled): make them visible to the others. */
  publish(own: readonly Reservation[]): void;
  /**
   * For a ledger that cannot lock synchronously (Redis): `others` is then a mirror, good for
   * estimates, and an admission reserved locally is confirmed here, atomically against the shared
   * window. Resolves 0 when `r` is now held there too, else the emulated ms until it would fit (the
   * caller undoes its local reservation and waits). `spanMs`: how long an entry counts (the window and
   * its guard). Never rejects: a ledger that is away confirms.
   */
  confirm?(r: Reservation, tokenLimit: number, requestLimit: number, spanMs: number): Promise<number>;
  /**
   * The quota every holder may use, given the one this instance learned: the lowest that any of them
   * learned recently (another instance was throttled, so the account's real quota is lower).
   */
  sharedQuota?(own: number): number;
  /**
   * The token ratio (calibration.ts) the other holders learned: given ours and how many answers it
   * rests on (published for them), the median of theirs published recently, or undefined when none
   * did. Only these numbers travel.
   */
  sharedRatio?(own: number, observed: number): number | undefined;
}
