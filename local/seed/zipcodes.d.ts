/** Minimal typings for the `zipcodes` npm package (v8), which ships none. Only what the seed uses. */
declare module "zipcodes" {
  export interface ZipCodeRecord {
    zip: string;
    latitude: number;
    longitude: number;
    city: string;
    state: string;
    country: string;
  }
  /** Every US and Canadian postal code, keyed by code. */
  export const codes: Record<string, ZipCodeRecord>;
  export function lookup(zip: string | number): ZipCodeRecord | undefined;
}
