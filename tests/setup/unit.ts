// Unit tests that render React components opt into jsdom with a `@jest-environment jsdom` docblock.
if (typeof window !== "undefined") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require("@testing-library/jest-dom");
}
