import type { FileSink } from "../../app/ports/files";

/** The product's file sink: each exported file is offered as a browser download. */
export const browserDownloads: FileSink = {
  save: (file) => downloadText(file.name, file.mimeType, file.content),
};

/** Offers text as a file download (Blob + object URL); the only DOM code of the export path. */
export function downloadText(fileName: string, mime: string, text: string): void {
  const blob = new Blob([text], { type: mime });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.rel = "noopener";
  a.style.display = "none";
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
