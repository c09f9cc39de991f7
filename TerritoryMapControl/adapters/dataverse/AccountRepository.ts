/** Placeholder: replaced by the repository seam (see ARCHITECTURE.md). */
export interface AccountRepository {
  readonly kind: string;
}
