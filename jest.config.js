/** Three projects: fast unit tests, HTTP integration tests against the local server, browser end-to-end tests. */
const transform = {
  // Transpile only (type checking is `npm run typecheck`): fast, and the same for TS and the ESM .js in node_modules.
  "^.+\\.(t|j)sx?$": [
    "ts-jest",
    {
      isolatedModules: true,
      tsconfig: {
        module: "commonjs",
        target: "es2022",
        jsx: "react",
        esModuleInterop: true,
        allowJs: true,
        resolveJsonModule: true,
        isolatedModules: true,
      },
    },
  ],
};
const common = {
  transform,
  moduleFileExtensions: ["ts", "tsx", "js", "json"],
  transformIgnorePatterns: [
    "/node_modules/(?!(@turf|d3-|robust-predicates|kdbush|rbush|quickselect|concaveman|polyclip-ts|bignumber|splaytree|sweepline|tinyqueue|point-in-polygon-hao|topojson-client|internmap|fflate)/)",
  ],
};
module.exports = {
  projects: [
    {
      ...common,
      displayName: "unit",
      testMatch: ["<rootDir>/tests/unit/**/*.test.ts", "<rootDir>/tests/unit/**/*.test.tsx"],
      testEnvironment: "node",
      setupFilesAfterEnv: ["<rootDir>/tests/setup/unit.ts"],
    },
    { ...common, displayName: "integration", testMatch: ["<rootDir>/tests/integration/**/*.test.ts"], testEnvironment: "node" },
    { ...common, displayName: "e2e", testMatch: ["<rootDir>/tests/e2e/**/*.test.ts"], testEnvironment: "node" },
  ],
};
