import * as React from "react";
import { FluentProvider, webLightTheme, Text } from "@fluentui/react-components";
import type { TerritoryMapProps } from "../props";
export const TerritoryMapApp: React.FC<TerritoryMapProps> = (props) => (
  <FluentProvider theme={webLightTheme}><Text>{props.getString("Control_DisplayName")}</Text></FluentProvider>
);
