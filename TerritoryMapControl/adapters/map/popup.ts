import type { Account } from "../../domain/accounts";
import type { PopupLabels } from "../../app/ports/map";

export type { PopupLabels };

/**
 * The account popup's DOM, built with textContent only: account data is user text (names like
 * `<img onerror=…>` must show as text) and never becomes markup.
 */
export function popupContent(account: Account, labels: PopupLabels, territoryName: string, territoryColor: string): HTMLElement {
  const root = document.createElement("div");
  root.className = "tmap-popup";
  const title = document.createElement("div");
  title.className = "tmap-popup-title";
  title.textContent = account.name;
  root.appendChild(title);
  const place = [account.city, account.state, account.postalCode].filter((s): s is string => !!s).join(", ");
  if (place) {
    const line = document.createElement("div");
    line.textContent = place;
    root.appendChild(line);
  }
  const territory = document.createElement("div");
  const swatch = document.createElement("span");
  swatch.className = "tmap-popup-swatch";
  swatch.style.backgroundColor = territoryColor;
  territory.appendChild(swatch);
  territory.appendChild(document.createTextNode(`${labels.territory}: ${account.territoryId ? territoryName : labels.unassigned}`));
  root.appendChild(territory);
  if (account.latitude !== null && account.longitude !== null) {
    const coords = document.createElement("div");
    coords.className = "tmap-popup-coords";
    coords.textContent = `${labels.location}: ${account.latitude.toFixed(5)}, ${account.longitude.toFixed(5)}`;
    root.appendChild(coords);
  }
  return root;
}
