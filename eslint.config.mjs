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
];
