// Flat ESLint config: used by pcf-scripts' build (lint step) and by `npm run lint`.
import eslintjs from "@eslint/js";
import tseslint from "typescript-eslint";
import powerApps from "@microsoft/eslint-plugin-power-apps";

export default [
  { ignores: ["**/generated/**", "out/**", "node_modules/**", "**/*.js", "**/*.mjs", "**/*.cjs"] },
  eslintjs.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "@microsoft/power-apps": powerApps },
    rules: {
      ...(powerApps.configs?.paCheckerHosted?.rules ?? {}),
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Domain code stays pure: no React, no map SDK, no PCF context, no DOM-bound adapters.
    files: ["TerritoryMapControl/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["react", "react-dom", "@fluentui/*", "azure-maps-*", "**/adapters/**", "**/components/**", "node:*"],
              message: "domain code must stay free of React, the map SDK, adapters and Node built-ins",
            },
          ],
        },
      ],
      "no-restricted-globals": ["error", "window", "document", "ComponentFramework"],
    },
  },
  {
    // The Dataverse Web API module runs in the control's bundle and in Node: no React, no map SDK, no Node
    // built-ins, no DOM globals; of the control it may use only the pure domain, and nothing of local/, plugins/,
    // scripts/, solution/ or tests/. (It types against ComponentFramework.WebApi, the interface Node provides too.)
    files: ["dataverse/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["react", "react-dom", "@fluentui/*", "azure-maps-*", "node:*"],
              message: "dataverse/ runs in the browser and in Node: no React, no map SDK, no Node built-ins",
            },
            {
              regex: "(^|/)TerritoryMapControl(/(?!domain(/|$)).*)?$",
              message: "dataverse/ may import only the control's pure domain (TerritoryMapControl/domain)",
            },
            {
              group: ["**/local/**", "**/plugins/**", "**/scripts/**", "**/solution/**", "**/tests/**"],
              message: "dataverse/ is imported by local/, plugins/, scripts/, solution/ and tests/, never the reverse",
            },
          ],
        },
      ],
      "no-restricted-globals": ["error", "window", "document"],
    },
  },
];
