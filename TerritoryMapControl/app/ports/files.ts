/** Where exported files go (a browser download in the product, a recorder in tests). */
export interface FileSink {
  save(file: { name: string; mimeType: string; content: string }): void;
}
