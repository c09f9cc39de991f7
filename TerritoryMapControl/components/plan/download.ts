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

/** A file name from user text: letters, digits, space, dot, dash and underscore only. */
export function safeFileName(name: string, fallback: string): string {
  const cleaned = name
    .replace(/[^\p{L}\p{N} ._-]+/gu, "")
    .trim()
    .slice(0, 80);
  return cleaned || fallback;
}
