import type { Account } from "../../domain/accounts";
import { formatTemplate } from "../../domain/text";
import type { PinDetails, PopupLabels } from "../../app/ports/map";

export type { PopupLabels };

/** One account of a popup and what the plan says about it. */
export interface PopupEntry {
  account: Account;
  details: PinDetails;
}

/** At most this many accounts are listed in one popup; the rest are counted. */
export const POPUP_MAX_ACCOUNTS = 8;

function line(into: HTMLElement, text: string, className?: string): HTMLDivElement {
  const div = document.createElement("div");
  if (className) div.className = className;
  div.textContent = text;
  into.appendChild(div);
  return div;
}

/**
 * The popup of the accounts at one spot (one account, or several sharing a location): per account its name,
 * address, territory (with its colour) and the territory's parent, owner, measures by name and an "Open record"
 * button that calls `onOpen(accountId)`; the location once at the end. Built with textContent only: account data is
 * user text (names like `<img onerror=…>` must show as text) and never becomes markup.
 */
export function popupContent(entries: readonly PopupEntry[], labels: PopupLabels, onOpen?: (accountId: string) => void): HTMLElement {
  const root = document.createElement("div");
  root.className = "tmap-popup";
  root.dataset.accounts = String(entries.length);
  for (const { account, details } of entries.slice(0, POPUP_MAX_ACCOUNTS)) {
    const item = document.createElement("div");
    item.className = "tmap-popup-account";
    item.dataset.accountId = account.id;
    line(item, account.name, "tmap-popup-title");
    const place = [account.street, account.city, account.state, account.postalCode].filter((s): s is string => !!s).join(", ");
    if (place) line(item, place);
    const territory = document.createElement("div");
    const swatch = document.createElement("span");
    swatch.className = "tmap-popup-swatch";
    swatch.style.backgroundColor = details.color;
    territory.appendChild(swatch);
    territory.appendChild(document.createTextNode(`${labels.territory}: ${details.territory}`));
    item.appendChild(territory);
    if (details.parent) line(item, `${labels.parent}: ${details.parent}`);
    if (details.owner) line(item, `${labels.owner}: ${details.owner}`, "tmap-popup-owner");
    for (const m of details.measures) line(item, `${m.name}: ${m.value}`, "tmap-popup-measure");
    if (onOpen) {
      const open = document.createElement("button");
      open.type = "button";
      open.className = "tmap-popup-open";
      open.textContent = labels.openRecord;
      open.setAttribute("aria-label", formatTemplate(labels.openRecordOf, account.name));
      open.dataset.accountId = account.id;
      open.addEventListener("click", (e) => {
        e.stopPropagation();
        onOpen(account.id);
      });
      item.appendChild(open);
    }
    root.appendChild(item);
  }
  if (entries.length > POPUP_MAX_ACCOUNTS) line(root, formatTemplate(labels.more, entries.length - POPUP_MAX_ACCOUNTS), "tmap-popup-more");
  const first = entries[0]?.account;
  if (first && first.latitude !== null && first.longitude !== null)
    line(root, `${labels.location}: ${first.latitude.toFixed(5)}, ${first.longitude.toFixed(5)}`, "tmap-popup-coords");
  return root;
}
