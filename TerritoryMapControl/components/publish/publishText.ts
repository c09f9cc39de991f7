/** The publish dialog's strings: resx templates filled in, and the reason a user may not publish. */
import type { DepthShortfall, RequiredPrivilege } from "../../domain/publish";
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

/**
 * "You cannot publish: your security role lets you change accounts (prvWriteAccount) only at User level …: 19,298 of
 * the 20,000 accounts … (e.g. …). Nothing was written. …" from the resx, one sentence per privilege.
 */
export function depthReason(shortfalls: readonly DepthShortfall[], s: Fmt): string {
  const parts = shortfalls.map((f) =>
    s(
      "Publish_DepthLine",
      `${s(`Publish_Right_${f.privilege.privilege}_${f.privilege.table}`)} (${f.privilege.name})`,
      s(`Publish_Depth_${f.depth}`),
      f.outOfReach,
      f.total,
      f.sampleIds.join(", "),
    ),
  );
  return s("Publish_DepthDisabled", parts.join(" "));
}
