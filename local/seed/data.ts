/**
 * Fixed reference lists for the sample organisation: regions, metro centres, rep home bases, option-set
 * values and name word lists. Data only, no logic.
 */

/** A sales region: becomes a parent territory. */
export interface RegionDefinition {
  key: string;
  name: string;
  states: readonly string[];
}

/**
 * Nine regional territories (the top of the hierarchy) covering the 50 states and DC (each exactly once).
 * With the default 40 reps the Northern Rockies have a single rep (Boise) and the Midwest is split into
 * districts (DISTRICTS).
 */
export const REGIONS: readonly RegionDefinition[] = [
  { key: "northeast", name: "Northeast", states: ["NY", "CT", "RI", "MA", "VT", "NH", "ME"] },
  { key: "midatlantic", name: "Mid-Atlantic", states: ["NJ", "PA", "DE", "MD", "DC", "VA", "WV"] },
  { key: "southeast", name: "Southeast", states: ["FL", "GA", "AL", "MS", "SC", "NC", "TN", "KY"] },
  { key: "midwest", name: "Midwest", states: ["IL", "IN", "MI", "OH", "WI", "MN", "IA", "MO", "NE", "SD", "ND"] },
  { key: "southcentral", name: "South Central", states: ["TX", "OK", "LA", "AR", "KS"] },
  { key: "southwest", name: "Southwest", states: ["AZ", "NM", "UT", "CO"] },
  { key: "west", name: "West", states: ["CA", "NV", "HI"] },
  { key: "northwest", name: "Northwest", states: ["WA", "OR", "AK"] },
  { key: "northernrockies", name: "Northern Rockies", states: ["ID", "MT", "WY"] },
];

/** Who manages a district territory. */
export type DistrictManager =
  | "seniorRep" // the district's first rep (in REP_BASES order) manages it besides their own territory
  | "salesManager"; // the position is vacant: the sales manager (the signed-in user) covers it

/** A district: a middle level between a region and its rep territories (the states are the region's). */
export interface DistrictDefinition {
  key: string;
  region: string;
  name: string;
  states: readonly string[];
  managedBy: DistrictManager;
}

/** The Midwest's two districts; together they cover the region's states. */
export const DISTRICTS: readonly DistrictDefinition[] = [
  { key: "greatlakes", region: "midwest", name: "Great Lakes District", states: ["IL", "IN", "MI", "OH", "WI"], managedBy: "salesManager" },
  {
    key: "heartland",
    region: "midwest",
    name: "Heartland & Upper Plains District",
    states: ["MN", "IA", "MO", "NE", "SD", "ND"],
    managedBy: "seniorRep",
  },
];

/** The 50 states and DC. */
export const US_STATES: readonly string[] = REGIONS.flatMap((r) => r.states);

/** A metropolitan centre: accounts concentrate around these (weight ∝ metro population, millions, ~2020 MSA). */
export interface MetroCentre {
  city: string;
  state: string;
  lat: number;
  lon: number;
  populationM: number;
}

export const METRO_CENTRES: readonly MetroCentre[] = [
  { city: "New York", state: "NY", lat: 40.7128, lon: -74.006, populationM: 19.8 },
  { city: "Los Angeles", state: "CA", lat: 34.0522, lon: -118.2437, populationM: 13.2 },
  { city: "Chicago", state: "IL", lat: 41.8781, lon: -87.6298, populationM: 9.5 },
  { city: "Dallas", state: "TX", lat: 32.7767, lon: -96.797, populationM: 7.6 },
  { city: "Houston", state: "TX", lat: 29.7604, lon: -95.3698, populationM: 7.1 },
  { city: "Washington", state: "DC", lat: 38.9072, lon: -77.0369, populationM: 6.4 },
  { city: "Philadelphia", state: "PA", lat: 39.9526, lon: -75.1652, populationM: 6.2 },
  { city: "Miami", state: "FL", lat: 25.7617, lon: -80.1918, populationM: 6.1 },
  { city: "Atlanta", state: "GA", lat: 33.749, lon: -84.388, populationM: 6.1 },
  { city: "Boston", state: "MA", lat: 42.3601, lon: -71.0589, populationM: 4.9 },
  { city: "Phoenix", state: "AZ", lat: 33.4484, lon: -112.074, populationM: 4.8 },
  { city: "San Francisco", state: "CA", lat: 37.7749, lon: -122.4194, populationM: 4.7 },
  { city: "Riverside", state: "CA", lat: 33.9806, lon: -117.3755, populationM: 4.6 },
  { city: "Detroit", state: "MI", lat: 42.3314, lon: -83.0458, populationM: 4.4 },
  { city: "Seattle", state: "WA", lat: 47.6062, lon: -122.3321, populationM: 4.0 },
  { city: "Minneapolis", state: "MN", lat: 44.9778, lon: -93.265, populationM: 3.7 },
  { city: "San Diego", state: "CA", lat: 32.7157, lon: -117.1611, populationM: 3.3 },
  { city: "Tampa", state: "FL", lat: 27.9506, lon: -82.4572, populationM: 3.2 },
  { city: "Denver", state: "CO", lat: 39.7392, lon: -104.9903, populationM: 3.0 },
  { city: "Baltimore", state: "MD", lat: 39.2904, lon: -76.6122, populationM: 2.8 },
  { city: "St. Louis", state: "MO", lat: 38.627, lon: -90.1994, populationM: 2.8 },
  { city: "Orlando", state: "FL", lat: 28.5383, lon: -81.3792, populationM: 2.7 },
  { city: "Charlotte", state: "NC", lat: 35.2271, lon: -80.8431, populationM: 2.7 },
  { city: "San Antonio", state: "TX", lat: 29.4241, lon: -98.4936, populationM: 2.6 },
  { city: "Portland", state: "OR", lat: 45.5152, lon: -122.6784, populationM: 2.5 },
  { city: "Sacramento", state: "CA", lat: 38.5816, lon: -121.4944, populationM: 2.4 },
  { city: "Pittsburgh", state: "PA", lat: 40.4406, lon: -79.9959, populationM: 2.4 },
  { city: "Austin", state: "TX", lat: 30.2672, lon: -97.7431, populationM: 2.3 },
  { city: "Las Vegas", state: "NV", lat: 36.1699, lon: -115.1398, populationM: 2.3 },
  { city: "Cincinnati", state: "OH", lat: 39.1031, lon: -84.512, populationM: 2.3 },
  { city: "Kansas City", state: "MO", lat: 39.0997, lon: -94.5786, populationM: 2.2 },
  { city: "Columbus", state: "OH", lat: 39.9612, lon: -82.9988, populationM: 2.1 },
  { city: "Indianapolis", state: "IN", lat: 39.7684, lon: -86.1581, populationM: 2.1 },
  { city: "Cleveland", state: "OH", lat: 41.4993, lon: -81.6944, populationM: 2.1 },
  { city: "San Jose", state: "CA", lat: 37.3382, lon: -121.8863, populationM: 2.0 },
  { city: "Nashville", state: "TN", lat: 36.1627, lon: -86.7816, populationM: 2.0 },
];

/** A rep's home base city. */
export interface RepBase {
  city: string;
  state: string;
  lat: number;
  lon: number;
  /** What the rep's territory is called after the region (default: the city), e.g. a metro and its segment. */
  territory?: string;
}

/**
 * Rep home bases in priority order: the first 8 cover every region but the Northern Rockies (Boise, the
 * 39th, is its only rep), the first 40 are the default sales force (spread over the US by where business
 * is, deliberately not perfectly proportional), the rest are used when more reps are asked for.
 */
export const REP_BASES: readonly RepBase[] = [
  // one per region first
  { city: "New York", state: "NY", lat: 40.7128, lon: -74.006, territory: "New York Metro & Long Island (Enterprise)" },
  { city: "Philadelphia", state: "PA", lat: 39.9526, lon: -75.1652 },
  { city: "Atlanta", state: "GA", lat: 33.749, lon: -84.388 },
  { city: "Chicago", state: "IL", lat: 41.8781, lon: -87.6298 },
  { city: "Dallas", state: "TX", lat: 32.7767, lon: -96.797 },
  { city: "Denver", state: "CO", lat: 39.7392, lon: -104.9903 },
  { city: "Los Angeles", state: "CA", lat: 34.0522, lon: -118.2437, territory: "Greater Los Angeles & Inland Empire (Key Accounts)" },
  { city: "Seattle", state: "WA", lat: 47.6062, lon: -122.3321 },
  // the rest of the default 40
  { city: "Boston", state: "MA", lat: 42.3601, lon: -71.0589 },
  { city: "Washington", state: "DC", lat: 38.9072, lon: -77.0369, territory: "Washington DC & Northern Virginia (Public Sector)" },
  { city: "Miami", state: "FL", lat: 25.7617, lon: -80.1918 },
  { city: "Houston", state: "TX", lat: 29.7604, lon: -95.3698 },
  { city: "San Francisco", state: "CA", lat: 37.7749, lon: -122.4194 },
  { city: "Phoenix", state: "AZ", lat: 33.4484, lon: -112.074 },
  { city: "Detroit", state: "MI", lat: 42.3314, lon: -83.0458 },
  { city: "Minneapolis", state: "MN", lat: 44.9778, lon: -93.265 },
  { city: "White Plains", state: "NY", lat: 41.034, lon: -73.7629 },
  { city: "Baltimore", state: "MD", lat: 39.2904, lon: -76.6122 },
  { city: "Tampa", state: "FL", lat: 27.9506, lon: -82.4572 },
  { city: "Austin", state: "TX", lat: 30.2672, lon: -97.7431 },
  { city: "San Diego", state: "CA", lat: 32.7157, lon: -117.1611 },
  { city: "Portland", state: "OR", lat: 45.5152, lon: -122.6784 },
  { city: "St. Louis", state: "MO", lat: 38.627, lon: -90.1994 },
  { city: "Charlotte", state: "NC", lat: 35.2271, lon: -80.8431 },
  { city: "Hartford", state: "CT", lat: 41.7658, lon: -72.6734 },
  { city: "Pittsburgh", state: "PA", lat: 40.4406, lon: -79.9959 },
  { city: "Salt Lake City", state: "UT", lat: 40.7608, lon: -111.891 },
  { city: "Columbus", state: "OH", lat: 39.9612, lon: -82.9988 },
  { city: "Orlando", state: "FL", lat: 28.5383, lon: -81.3792 },
  { city: "San Antonio", state: "TX", lat: 29.4241, lon: -98.4936 },
  { city: "Sacramento", state: "CA", lat: 38.5816, lon: -121.4944 },
  { city: "Indianapolis", state: "IN", lat: 39.7684, lon: -86.1581 },
  { city: "Richmond", state: "VA", lat: 37.5407, lon: -77.436 },
  { city: "Nashville", state: "TN", lat: 36.1627, lon: -86.7816 },
  { city: "Albany", state: "NY", lat: 42.6526, lon: -73.7562 },
  { city: "Oklahoma City", state: "OK", lat: 35.4676, lon: -97.5164 },
  { city: "Albuquerque", state: "NM", lat: 35.0844, lon: -106.6504 },
  { city: "Las Vegas", state: "NV", lat: 36.1699, lon: -115.1398 },
  { city: "Boise", state: "ID", lat: 43.615, lon: -116.2023 },
  { city: "Kansas City", state: "MO", lat: 39.0997, lon: -94.5786 },
  // extra bases for larger sales forces
  { city: "Newark", state: "NJ", lat: 40.7357, lon: -74.1724 },
  { city: "Cleveland", state: "OH", lat: 41.4993, lon: -81.6944 },
  { city: "Irvine", state: "CA", lat: 33.6846, lon: -117.8265 },
  { city: "Birmingham", state: "AL", lat: 33.5186, lon: -86.8104 },
  { city: "New Orleans", state: "LA", lat: 29.9511, lon: -90.0715 },
  { city: "Milwaukee", state: "WI", lat: 43.0389, lon: -87.9065 },
  { city: "Buffalo", state: "NY", lat: 42.8864, lon: -78.8784 },
  { city: "Tucson", state: "AZ", lat: 32.2226, lon: -110.9747 },
  { city: "Spokane", state: "WA", lat: 47.6588, lon: -117.426 },
  { city: "Raleigh", state: "NC", lat: 35.7796, lon: -78.6382 },
];

/** The standard Dynamics 365 `account.industrycode` option set (values 1..33). */
export const INDUSTRY_CODES: Readonly<Record<number, string>> = {
  1: "Accounting",
  2: "Agriculture and Non-petrol Natural Resource Extraction",
  3: "Broadcasting Printing and Publishing",
  4: "Brokers",
  5: "Building Supply Retail",
  6: "Business Services",
  7: "Consulting",
  8: "Consumer Services",
  9: "Design, Direction and Creative Management",
  10: "Distributors, Dispatchers and Processors",
  11: "Doctor's Offices and Clinics",
  12: "Durable Manufacturing",
  13: "Eating and Drinking Places",
  14: "Entertainment Retail",
  15: "Equipment Rental and Leasing",
  16: "Financial",
  17: "Food and Tobacco Processing",
  18: "Inbound Capital Intensive Processing",
  19: "Inbound Repair and Services",
  20: "Insurance",
  21: "Legal Services",
  22: "Non-Durable Merchandise Retail",
  23: "Outbound Consumer Service",
  24: "Petrochemical Extraction and Distribution",
  25: "Service Retail",
  26: "SIG Affiliations",
  27: "Social Services",
  28: "Special Outbound Trade Contractors",
  29: "Specialty Realty",
  30: "Transportation",
  31: "Utility Creation and Distribution",
  32: "Vehicle Retail",
  33: "Wholesale",
};

/** The industries the sample uses: option value, relative frequency, revenue factor, name nouns. */
export interface IndustryProfile {
  code: number;
  weight: number;
  /** Multiplies the drawn revenue (capital-intensive industries run larger). */
  revenueFactor: number;
  nouns: readonly string[];
}

export const INDUSTRY_PROFILES: readonly IndustryProfile[] = [
  { code: 1, weight: 4, revenueFactor: 0.6, nouns: ["Accounting", "CPA Group", "Tax Advisors", "Bookkeeping"] },
  { code: 2, weight: 3, revenueFactor: 1.1, nouns: ["Farms", "Agri Supply", "Growers", "Ranch", "Seed Co."] },
  { code: 3, weight: 2, revenueFactor: 0.9, nouns: ["Media", "Printing", "Publishing", "Press"] },
  { code: 6, weight: 9, revenueFactor: 1, nouns: ["Business Solutions", "Staffing", "Office Services", "Data Services", "Payroll"] },
  { code: 7, weight: 6, revenueFactor: 0.8, nouns: ["Consulting", "Advisory", "Strategy Group", "Management Consultants"] },
  { code: 8, weight: 5, revenueFactor: 0.6, nouns: ["Home Services", "Cleaning", "Fitness", "Pet Care"] },
  { code: 9, weight: 2, revenueFactor: 0.7, nouns: ["Design", "Architects", "Creative", "Studio"] },
  { code: 10, weight: 5, revenueFactor: 1.3, nouns: ["Distribution", "Supply", "Distributors"] },
  { code: 11, weight: 7, revenueFactor: 0.8, nouns: ["Medical Group", "Family Clinic", "Dental", "Orthopedics", "Pediatrics", "Eye Care"] },
  {
    code: 12,
    weight: 9,
    revenueFactor: 1.5,
    nouns: ["Manufacturing", "Precision Tool", "Machine Works", "Fabrication", "Industries", "Plastics"],
  },
  { code: 13, weight: 5, revenueFactor: 0.5, nouns: ["Grill", "Bistro", "Brewing", "Kitchen", "Restaurant Group"] },
  { code: 15, weight: 2, revenueFactor: 1, nouns: ["Equipment Rental", "Rentals", "Leasing"] },
  { code: 16, weight: 5, revenueFactor: 1.6, nouns: ["Capital", "Financial", "Credit Union", "Bancorp", "Wealth Management"] },
  { code: 17, weight: 3, revenueFactor: 1.3, nouns: ["Foods", "Bakery", "Packing", "Dairy"] },
  { code: 20, weight: 4, revenueFactor: 1.4, nouns: ["Insurance", "Insurance Agency", "Mutual", "Underwriters"] },
  { code: 21, weight: 4, revenueFactor: 0.7, nouns: ["Law Group", "Legal", "Attorneys"] },
  { code: 22, weight: 4, revenueFactor: 0.9, nouns: ["Outfitters", "Mercantile", "Market", "Apparel"] },
  { code: 24, weight: 1, revenueFactor: 3, nouns: ["Energy", "Petroleum", "Oil & Gas"] },
  { code: 25, weight: 4, revenueFactor: 0.5, nouns: ["Auto Care", "Dry Cleaners", "Repair"] },
  { code: 27, weight: 2, revenueFactor: 0.5, nouns: ["Community Services", "Care Network", "Family Services"] },
  {
    code: 28,
    weight: 8,
    revenueFactor: 0.9,
    nouns: ["Construction", "Builders", "Electric", "Plumbing", "Roofing", "HVAC", "Contractors"],
  },
  { code: 29, weight: 3, revenueFactor: 0.8, nouns: ["Realty", "Properties", "Real Estate"] },
  { code: 30, weight: 5, revenueFactor: 1.2, nouns: ["Logistics", "Freight", "Trucking", "Transport"] },
  { code: 31, weight: 1, revenueFactor: 3, nouns: ["Power", "Utilities", "Water"] },
  { code: 32, weight: 2, revenueFactor: 1.4, nouns: ["Motors", "Auto Group", "Truck Center"] },
  { code: 33, weight: 4, revenueFactor: 1.3, nouns: ["Wholesale", "Trading", "Supply"] },
];

/** The standard `account.customertypecode` option set (relationship type) with sample frequencies. */
export const CUSTOMER_TYPES: readonly { code: number; label: string; weight: number }[] = [
  { code: 1, label: "Competitor", weight: 0.5 },
  { code: 3, label: "Customer", weight: 60 },
  { code: 5, label: "Partner", weight: 4 },
  { code: 8, label: "Prospect", weight: 30 },
  { code: 9, label: "Reseller", weight: 3 },
  { code: 10, label: "Supplier", weight: 1.5 },
  { code: 12, label: "Other", weight: 1 },
];

export const NAME_PREFIXES: readonly string[] = [
  "Summit",
  "Pioneer",
  "Cascade",
  "Harbor",
  "Keystone",
  "Liberty",
  "Frontier",
  "Northstar",
  "Evergreen",
  "Redwood",
  "Blue Ridge",
  "Granite",
  "Ironwood",
  "Lakeside",
  "Meridian",
  "Heritage",
  "Pinnacle",
  "Riverbend",
  "Silverline",
  "Sterling",
  "Tri-County",
  "Valley",
  "Westfield",
  "Apex",
  "Bayview",
  "Beacon",
  "Cornerstone",
  "Crestview",
  "Eagle",
  "Foothill",
  "Gateway",
  "Great Plains",
  "Highland",
  "Horizon",
  "Landmark",
  "Lone Star",
  "Magnolia",
  "Midland",
  "Oakridge",
  "Pacific",
  "Patriot",
  "Prairie",
  "Premier",
  "Quantum",
  "Red Rock",
  "Sequoia",
  "Sierra",
  "Coastal",
  "Canyon",
  "Atlas",
  "Allied",
  "American",
  "United",
  "Central",
  "Continental",
  "National",
  "Metro",
  "First",
  "Golden",
  "Anchor",
  "Bluewater",
  "Capstone",
  "Clearwater",
  "Compass",
  "Copper",
  "Falcon",
  "Harvest",
];

export const NAME_SUFFIXES: readonly { text: string; weight: number }[] = [
  { text: "LLC", weight: 30 },
  { text: "Inc.", weight: 25 },
  { text: "Co.", weight: 8 },
  { text: "Group", weight: 8 },
  { text: "Partners", weight: 4 },
  { text: "Corp.", weight: 6 },
  { text: "", weight: 19 },
];

export const FIRST_NAMES: readonly string[] = [
  "James",
  "Mary",
  "Robert",
  "Patricia",
  "John",
  "Jennifer",
  "Michael",
  "Linda",
  "David",
  "Elizabeth",
  "William",
  "Barbara",
  "Richard",
  "Susan",
  "Joseph",
  "Jessica",
  "Thomas",
  "Sarah",
  "Carlos",
  "Karen",
  "Daniel",
  "Lisa",
  "Matthew",
  "Nancy",
  "Anthony",
  "Sandra",
  "Mark",
  "Ashley",
  "Steven",
  "Emily",
  "Andrew",
  "Michelle",
  "Priya",
  "Amanda",
  "Kevin",
  "Melissa",
  "Brian",
  "Stephanie",
  "Jose",
  "Rebecca",
  "Wei",
  "Laura",
  "Ryan",
  "Maria",
  "Jacob",
  "Aisha",
  "Nicholas",
  "Olivia",
  "Tyler",
  "Grace",
  "Marcus",
  "Hannah",
  "Diego",
  "Chloe",
  "Ethan",
  "Sofia",
];

export const LAST_NAMES: readonly string[] = [
  "Smith",
  "Johnson",
  "Williams",
  "Brown",
  "Jones",
  "Garcia",
  "Miller",
  "Davis",
  "Rodriguez",
  "Martinez",
  "Hernandez",
  "Lopez",
  "Gonzalez",
  "Wilson",
  "Anderson",
  "Thomas",
  "Taylor",
  "Moore",
  "Jackson",
  "Martin",
  "Lee",
  "Perez",
  "Thompson",
  "White",
  "Harris",
  "Sanchez",
  "Clark",
  "Ramirez",
  "Lewis",
  "Robinson",
  "Walker",
  "Young",
  "Allen",
  "King",
  "Wright",
  "Scott",
  "Torres",
  "Nguyen",
  "Hill",
  "Flores",
  "Green",
  "Adams",
  "Nelson",
  "Baker",
  "Hall",
  "Rivera",
  "Campbell",
  "Mitchell",
  "Carter",
  "Roberts",
  "Patel",
  "Chen",
  "Kim",
  "Murphy",
  "Cooper",
  "Reed",
  "Bailey",
  "Bell",
  "Cole",
  "Harper",
  "Hayes",
  "Foster",
  "Brooks",
  "Sullivan",
  "Russell",
  "Griffin",
];

export const STREET_NAMES: readonly string[] = [
  "Main",
  "Oak",
  "Maple",
  "Park",
  "Pine",
  "Cedar",
  "Elm",
  "Washington",
  "Lake",
  "Hill",
  "Walnut",
  "Spring",
  "North",
  "Ridge",
  "Church",
  "Willow",
  "Mill",
  "Sunset",
  "Jackson",
  "Cherry",
  "Highland",
  "Madison",
  "Franklin",
  "Lincoln",
  "Commerce",
  "Industrial",
  "Market",
  "Center",
  "River",
  "Union",
  "Jefferson",
  "Airport",
  "Harbor",
  "Meadow",
  "Forest",
  "Valley",
  "College",
  "Broad",
  "Front",
  "Water",
  "Grand",
  "Railroad",
  "Technology",
];

export const STREET_TYPES: readonly string[] = ["St", "Ave", "Rd", "Blvd", "Dr", "Pkwy", "Way", "Ln", "Ct", "Pl"];
