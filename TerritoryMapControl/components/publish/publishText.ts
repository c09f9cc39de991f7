/** The publish dialog's strings: resx templates filled in, and the reason a user may not publish. */
import type { RequiredPrivilege } from "../../domain/publish";
import { formatTemplate } from "../../domain/text";

/** A resx string by key with its `{0}`, `{1}`… filled in. */
export type Fmt = (key: string, ...args: (string | number)[]) => string;

export function formatter(getString: (key: string) => string): Fmt {
  return (key, ...args) => formatTemplate(getString(key), ...args);
}

/** "You cannot publish: your security role does not let you change accounts (prvWriteAccount), …" from the resx. */
export function privilegeReason(missing: readonly RequiredPrivilege[], s: Fmt): string {
  const parts = missing.map((m) => `${s(`Publish_Right_${m.privilege}_${m.table}`)} (${m.name})`);
  return s("Publish_Disabled", parts.join(", "));
}
